/**
 * The scheduler stays pure: no I/O, no sockets, no database, no clock, no randomness of its
 * own. A grep over its sources stands in for a dependency checker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcDir = join(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const forbidden: [string, RegExp][] = [
  ['Node built-in modules (node:fs, node:net, …)', /from\s+['"]node:|require\(\s*['"]node:/],
  ['bare Node I/O modules', /from\s+['"](fs|net|http|https|child_process|dgram|worker_threads)(\/[^'"]*)?['"]/],
  ['the database (@prisma)', /['"]@prisma\//],
  ['the database package', /['"]@farmhand\/db['"]/],
  ['sockets (socket.io)', /['"]socket\.io/],
  ['the clock (Date.now)', /Date\.now\s*\(/],
  ['the clock (new Date())', /new\s+Date\s*\(\s*\)/],
  ['the clock (performance.now)', /performance\.now\s*\(/],
  ['randomness (Math.random)', /Math\.random\s*\(/],
  ['the process (process.*)', /\bprocess\.(env|argv|hrtime|memoryUsage)/],
];

describe('packages/scheduler/src is pure', () => {
  const files = sources(srcDir).map((path) => ({ path: relative(srcDir, path), text: readFileSync(path, 'utf8') }));

  it('has sources to check', () => expect(files.length).toBeGreaterThan(5));

  it.each(forbidden)('uses no %s', (_what, pattern) => {
    expect(files.filter((f) => pattern.test(f.text)).map((f) => f.path)).toEqual([]);
  });
});
