import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '@farmhand/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRange, resolveLogFile } from '../src/server/services/logs';

describe('byte ranges of a log file of 100 bytes', () => {
  const cases: { header: string | null; expected: ReturnType<typeof parseRange> }[] = [
    { header: null, expected: null },
    { header: 'bytes=0-9', expected: { start: 0, end: 9 } },
    { header: 'bytes=90-', expected: { start: 90, end: 99 } },
    { header: 'bytes=-10', expected: { start: 90, end: 99 } },
    { header: 'bytes=-500', expected: { start: 0, end: 99 } },
    { header: 'bytes=50-500', expected: { start: 50, end: 99 } },
    { header: 'bytes=100-', expected: 'unsatisfiable' },
    { header: 'bytes=9-3', expected: 'unsatisfiable' },
  ];
  for (const c of cases) {
    it(`reads ${c.header ?? 'no Range header'} as ${JSON.stringify(c.expected)}`, () => {
      expect(parseRange(c.header, 100)).toEqual(c.expected);
    });
  }

  it('refuses a range it does not support, saying which forms it does', () => {
    expect(() => parseRange('bytes=0-1,5-6', 100)).toThrow(/use bytes=start-end, bytes=start- or bytes=-count/);
    expect(() => parseRange('lines=1-2', 100)).toThrow(AppError);
  });
});

describe('log paths', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-logroot-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('are served from inside the log root', async () => {
    expect(await resolveLogFile(root, 'sandbox/job/render/1.1.log')).toBe(path.join(root, 'sandbox/job/render/1.1.log'));
  });

  for (const logPath of ['../outside.log', 'a/../../outside.log', '/etc/passwd', '']) {
    it(`are refused when they resolve outside the root: '${logPath}'`, async () => {
      await expect(resolveLogFile(root, logPath)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  }
});
