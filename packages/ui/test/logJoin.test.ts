import { describe, expect, it } from 'vitest';
import { LogJoin } from '../src/logJoin';

const bytes = (s: string) => new TextEncoder().encode(s);

type Step = { file: [number, string] } | { chunk: [number, string] };

function run(steps: Step[]): LogJoin {
  const log = new LogJoin();
  for (const step of steps) {
    if ('file' in step) log.readFile(step.file[0], bytes(step.file[1]));
    else log.chunk(step.chunk[0], step.chunk[1]);
  }
  return log;
}

describe('a log viewer joining the file and the live stream', () => {
  const cases: { name: string; steps: Step[]; text: string }[] = [
    { name: 'chunks after the file are appended', steps: [{ file: [0, 'a\nb\n'] }, { chunk: [4, 'c\n'] }], text: 'a\nb\nc\n' },
    {
      name: 'a chunk already in the file is not shown twice',
      steps: [{ file: [0, 'a\nb\n'] }, { chunk: [2, 'b\n'] }, { chunk: [4, 'c\n'] }],
      text: 'a\nb\nc\n',
    },
    {
      name: 'a chunk overlapping the end of the file adds only its new bytes',
      steps: [{ file: [0, 'abc'] }, { chunk: [1, 'bcde'] }],
      text: 'abcde',
    },
    {
      name: 'chunks that arrive before the file is read are shown after it, once',
      steps: [{ chunk: [2, 'cd'] }, { chunk: [4, 'ef'] }, { file: [0, 'abcd'] }],
      text: 'abcdef',
    },
    {
      name: 'chunks that arrive out of order are put back in order',
      steps: [{ file: [0, 'ab'] }, { chunk: [4, 'ef'] }, { chunk: [2, 'cd'] }],
      text: 'abcdef',
    },
    {
      name: 'multi-byte characters split across chunks decode whole',
      steps: [{ file: [0, 'é'] }, { chunk: [2, '→ok'] }],
      text: 'é→ok',
    },
    {
      name: 'a tail read starts the text part way into the file',
      steps: [{ file: [100, 'tail\n'] }, { chunk: [105, 'more\n'] }],
      text: 'tail\nmore\n',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(run(c.steps).text).toBe(c.text);
    });
  }

  it('a chunk past a gap is held and the gap is reported for fetching', () => {
    const log = run([{ file: [0, 'ab'] }]);
    expect(log.chunk(5, 'fg')).toBe('held');
    expect(log.text).toBe('ab');
    expect(log.missing()).toEqual({ from: 2, to: 4 });
    log.readFile(2, bytes('cde'));
    expect(log.text).toBe('abcdefg');
    expect(log.missing()).toBeNull();
    expect(log.bytesRead).toBe(7);
  });

  it('reports a duplicate chunk as such', () => {
    const log = run([{ file: [0, 'abcdef'] }]);
    expect(log.chunk(0, 'abc')).toBe('duplicate');
    expect(log.chunk(6, 'g')).toBe('appended');
  });
});
