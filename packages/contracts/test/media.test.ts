/**
 * Media paths and log patterns as users write them: output path patterns name each frame's
 * file, paths leaving the media root are refused by lexical checks, and log patterns that are
 * not regexes or would match every line are refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { framePath, logPatternError, mediaPathError, outputPathError, outputPathSchema } from '../src';

describe('output path patterns', () => {
  it.each([
    ['beauty.####.png', 7, 'beauty.0007.png'],
    ['beauty.#.png', 7, 'beauty.7.png'],
    ['beauty.##.png', 123, 'beauty.123.png'],
    ['beauty.%04d.exr', 42, 'beauty.0042.exr'],
    ['beauty.%d.exr', 42, 'beauty.42.exr'],
    ['sh010/v002/beauty.####.png', -3, 'sh010/v002/beauty.-0003.png'],
  ])('%s names frame %i %s', (pattern, frame, expected) => {
    expect(framePath(pattern, frame)).toBe(expected);
  });

  it.each([
    ['/shots/sh010/beauty.####.exr', 'is absolute'],
    ['../other/beauty.####.exr', "contains '..'"],
    ['renders/../../etc/beauty.####.exr', "contains '..'"],
    ['C:\\renders\\beauty.####.exr', 'is absolute'],
    ['renders/beauty.exr', 'has no frame number'],
  ])('refuses %s: %s', (pattern, reason) => {
    expect(outputPathError(pattern)).toContain(reason);
    expect(outputPathSchema.safeParse(pattern).success).toBe(false);
  });

  it('accepts a relative pattern with padding', () => {
    expect(outputPathError('renders/sh010/beauty.####.png')).toBeNull();
    expect(mediaPathError('previews/a/b/index.m3u8')).toBeNull();
    expect(mediaPathError('a\0b')).toContain('NUL');
  });
});

describe('log patterns', () => {
  it.each([
    ['license .* not available', null],
    ['\\berror\\b', null],
    ['unclosed (', 'is not a valid regular expression'],
    ['.*', 'matches empty text'],
    ['a|', 'matches empty text'],
  ])('%s → %s', (pattern, reason) => {
    const error = logPatternError(pattern);
    if (reason === null) expect(error).toBeNull();
    else expect(error).toContain(reason);
  });
});
