import { describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi } from '../src/ansi';
import { LogLines } from '../src/logLines';
import { compileSearch, errorRegex, markMatches, matchingLines } from '../src/logSearch';

const ESC = '\u001b';

describe('ANSI colours in log lines', () => {
  it.each([
    ['plain text stays one unstyled run', 'hello', [{ text: 'hello', style: {} }]],
    [
      'a red word then a reset',
      `${ESC}[31mred${ESC}[0m plain`,
      [
        { text: 'red', style: { fg: '#ff7b72' } },
        { text: ' plain', style: {} },
      ],
    ],
    ['bold bright green', `${ESC}[1;92mok`, [{ text: 'ok', style: { bold: true, fg: '#56d364' } }]],
    ['a 256-colour grey', `${ESC}[38;5;244mdim`, [{ text: 'dim', style: { fg: 'rgb(128,128,128)' } }]],
    ['true colour background', `${ESC}[48;2;1;2;3mx`, [{ text: 'x', style: { bg: 'rgb(1,2,3)' } }]],
    [
      'cursor moves and erase-line are dropped',
      `a${ESC}[2Kb${ESC}[1Ac`,
      [
        { text: 'a', style: {} },
        { text: 'b', style: {} },
        { text: 'c', style: {} },
      ],
    ],
    ['a carriage return keeps what a terminal would show', '10%\r50%\r100%', [{ text: '100%', style: {} }]],
  ])('%s', (_name, line, runs) => {
    expect(parseAnsi(line).runs).toEqual(runs);
  });

  it('leaves markup as text: a log line is never HTML', () => {
    expect(stripAnsi(`${ESC}[31m<img src=x onerror=alert(1)>${ESC}[0m`)).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('a growing log split into lines', () => {
  it('splits only what was appended, re-reading a partial last line', () => {
    const lines = new LogLines();
    lines.update('one\ntw');
    expect(lines.lines).toEqual(['one', 'tw']);
    lines.update('one\ntwo\nthree\n');
    expect(lines.lines.slice(0, lines.count)).toEqual(['one', 'two', 'three']);
    expect(lines.count).toBe(3);
  });

  it('starts over when the text is not a continuation (another attempt)', () => {
    const lines = new LogLines();
    lines.update('attempt 1\nfailed\n');
    lines.update('attempt 2\n');
    expect(lines.lines.slice(0, lines.count)).toEqual(['attempt 2']);
  });

  it('holds a million lines', () => {
    const lines = new LogLines();
    lines.update(Array.from({ length: 1_000_000 }, (_, i) => `line ${i}`).join('\n'));
    expect(lines.count).toBe(1_000_000);
    expect(lines.lines[999_999]).toBe('line 999999');
  });
});

describe('searching a log', () => {
  const log = ['starting', 'ERROR: texture missing', 'rendering', 'Traceback (most recent call last):', 'Segmentation fault'];

  it('finds lines by regex, ignoring case', () => {
    const { regex, error } = compileSearch('text(ure)?');
    expect(error).toBeNull();
    expect(matchingLines(log.length, (i) => log[i] ?? '', regex)).toEqual([1]);
  });

  it('searches an invalid regex as plain text and says why', () => {
    const { regex, error } = compileSearch('call last)');
    expect(error).toMatch(/plain text/);
    expect(matchingLines(log.length, (i) => log[i] ?? '', regex)).toEqual([3]);
  });

  it('finds the first error with the default patterns', () => {
    expect(matchingLines(log.length, (i) => log[i] ?? '', errorRegex())[0]).toBe(1);
    expect(matchingLines(log.length, (i) => log[i] ?? '', errorRegex(['Segmentation fault']))[0]).toBe(4);
  });

  it('marks matches across coloured runs', () => {
    const runs = parseAnsi(`pre${ESC}[31mfix err${ESC}[0mor end`).runs;
    const marked = markMatches(runs, compileSearch('error').regex);
    expect(marked.filter((r) => r.mark).map((r) => r.text)).toEqual(['err', 'or']);
    expect(marked.map((r) => r.text).join('')).toBe('prefix error end');
  });
});

describe('the default error patterns', () => {
  it.each([
    ['ERROR: disk full', true],
    ['Traceback (most recent call last):', true],
    ['Segmentation fault (core dumped)', true],
    ['fatal: out of memory', true],
    ['<img src=x onerror=alert(1)>', false],
    ['0 errors, 0 warnings', false],
  ])('%s → %s', (line, matches) => {
    expect(errorRegex()?.test(line)).toBe(matches);
  });
});
