/** Reading fixtures as the CLI does: the file's text and a reader for the files it names, relative to it. */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportOptions } from '../src';

export const fixtures = path.join(import.meta.dirname, 'fixtures');

export function fixture(relative: string): { text: string; options: ImportOptions } {
  const file = path.join(fixtures, relative);
  const dir = path.dirname(file);
  return {
    text: fs.readFileSync(file, 'utf8'),
    options: {
      fileName: path.basename(file),
      show: 'sandbox',
      user: 'alice',
      readFile: (p) => (fs.existsSync(path.join(dir, p)) ? fs.readFileSync(path.join(dir, p), 'utf8') : null),
    },
  };
}

/** A reader over an in-memory set of files, for tests that write their own DAGs. */
export function files(map: Record<string, string>): (p: string) => string | null {
  return (p) => map[p] ?? null;
}
