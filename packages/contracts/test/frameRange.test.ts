import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkFrames, FrameRangeError, formatFrameList, MAX_FRAMES_PER_RANGE, parseFrameRange } from '../src/frameRange';

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('frame ranges expand as in OpenCue', () => {
  const cases: [string, string, number[]][] = [
    ['one frame', '5', [5]],
    ['a negative frame', '-5', [-5]],
    ['an inclusive range', '1-5', [1, 2, 3, 4, 5]],
    ['a range that counts down', '5-1', [5, 4, 3, 2, 1]],
    ['a range of negative frames', '-10--7', [-10, -9, -8, -7]],
    ['a range across zero', '-2-2', [-2, -1, 0, 1, 2]],
    ['every 5th frame with x', '1-20x5', [1, 6, 11, 16]],
    ['x with a step that overshoots the end', '1-3x5', [1]],
    ['x counting down with a negative step', '10-1x-3', [10, 7, 4, 1]],
    ['y, the frames x would skip', '1-10y3', [2, 3, 5, 6, 8, 9]],
    ['y counting down', '10-1y-3', [9, 8, 6, 5, 3, 2]],
    ['interleaved: x5, then x2, then x1, no frame twice', '1-10:5', [1, 6, 3, 5, 7, 9, 2, 4, 8, 10]],
    ['interleaved with step 3 (3, then 1)', '1-7:3', [1, 4, 7, 2, 3, 5, 6]],
    ['interleaved counting down', '10-1:-4', [10, 6, 2, 8, 4, 9, 7, 5, 3, 1]],
    ['a list', '1,3,7-9', [1, 3, 7, 8, 9]],
    ['a list of stepped ranges', '1-5x2,10-12', [1, 3, 5, 10, 11, 12]],
    ['a frame listed twice is kept once, at its first place', '3,1-4', [3, 1, 2, 4]],
    ['spaces around commas and at the ends', '  1 , 3 ,5-6 ', [1, 3, 5, 6]],
    ['a one-frame range with a step', '4-4x3', [4]],
    ['a one-frame range with a negative step', '4-4x-3', [4]],
  ];
  it.each(cases)('%s: %s', (_name, spec, frames) => expect(parseFrameRange(spec)).toEqual(frames));
});

describe('a malformed frame range names the position and what was expected', () => {
  const cases: [string, string, number, string][] = [
    ['empty text', '', 1, 'expected a frame number'],
    ['only spaces', '   ', 4, 'expected a frame number'],
    ['a letter', 'abc', 1, 'expected a frame number'],
    ['a trailing comma', '1,', 3, 'expected a frame number after the comma'],
    ['two commas', '1,,2', 3, 'expected a frame number'],
    ['a range with no end', '1-', 3, 'expected the last frame of the range'],
    ['a step with no number', '1-10x', 6, "expected a step after 'x'"],
    ['a step of 0', '1-10x0', 6, 'the step after x must be a positive integer'],
    ['a step of 0 counting down', '10-1y0', 6, 'the step after y must be a negative integer'],
    ['a negative step on a range counting up', '1-10x-2', 6, '1-10 counts up, so the step after x must be a positive integer (1-10x2)'],
    ['a positive step on a range counting down', '10-1:2', 6, '10-1 counts down, so the step after : must be a negative integer (10-1:-2)'],
    ['y1, which leaves nothing', '1-10y1', 6, 'y1 would leave no frames: the step after y must be 2 or more'],
    ['a y that leaves nothing', '4-4y2', 1, 'the range holds no frames'],
    ['an unknown modifier', '1-10z2', 5, "expected 'x', 'y', ':', ',' or the end"],
    ['a step on a single frame', '5x2', 2, "expected '-', ',' or the end"],
    ['a space inside a part', '1 -10', 3, "expected ',' or the end"],
    ['a missing comma', '1-10 20', 6, "expected ',' or the end"],
    ['text after the step', '1-10x2a', 7, "expected ',' or the end"],
    ['a frame number beyond 32 bits', '1-99999999999', 3, 'the last frame of the range must be between -2147483647 and 2147483647'],
    ['a range too long to hold', '1-2000000000x2', 1, 'the range is too long'],
    ['more frames than a layer may hold', `1-${MAX_FRAMES_PER_RANGE + 1}`, 1, 'a range may hold at most 1,000,000 frames'],
  ];
  it.each(cases)('%s: %j', (_name, spec, position, expected) => {
    let error: unknown;
    try {
      parseFrameRange(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrameRangeError);
    expect(error).toMatchObject({ position: position - 1, expected });
    expect((error as Error).message).toBe(`Frame range '${spec}' is not valid at position ${position}: ${expected}`);
  });
});

describe('frame-range properties', () => {
  const grammarChars = fc.constantFrom('0', '1', '2', '5', '9', '-', 'x', 'y', ':', ',', ' ');
  const small = fc.integer({ min: -300, max: 300 });

  it('never throws anything but FrameRangeError, whatever the text', () => {
    const text = fc.oneof(
      fc.string(),
      fc.array(grammarChars, { maxLength: 20 }).map((cs) => cs.join('')),
    );
    fc.assert(
      fc.property(text, (spec) => {
        try {
          parseFrameRange(spec);
        } catch (e) {
          if (!(e instanceof FrameRangeError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('never lists a frame twice', () => {
    // A y range of one frame holds none and is refused ('4-4y2', tested above), so y parts span two frames or more.
    const part = fc
      .tuple(small, small, fc.constantFrom('', 'x', 'y', ':'), fc.integer({ min: 2, max: 20 }))
      .filter(([a, b, op]) => op !== 'y' || a !== b);
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const spec = parts.map(([a, b, op, s]) => (op === '' ? `${a}-${b}` : `${a}-${b}${op}${b >= a ? s : -s}`)).join(',');
        const frames = parseFrameRange(spec);
        expect(new Set(frames).size).toBe(frames.length);
      }),
    );
  }, 60_000);

  it('x and y of the same step split the range between them; interleave takes all of it', () => {
    const orNone = (spec: string) => {
      try {
        return parseFrameRange(spec);
      } catch (e) {
        if (e instanceof FrameRangeError && e.expected === 'the range holds no frames') return [];
        throw e;
      }
    };
    fc.assert(
      fc.property(small, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 2, max: 30 }), (a, length, step) => {
        const b = a + length;
        const all = range(a, b);
        const x = parseFrameRange(`${a}-${b}x${step}`);
        const y = orNone(`${a}-${b}y${step}`);
        expect(x.filter((f) => y.includes(f))).toEqual([]);
        expect([...x, ...y].sort((p, q) => p - q)).toEqual(all);
        expect(parseFrameRange(`${a}-${b}:${step}`).sort((p, q) => p - q)).toEqual(all);
      }),
    );
  }, 60_000);

  it('a range counting down is the same frames as counting up, reversed', () => {
    fc.assert(
      fc.property(small, small, fc.integer({ min: 1, max: 20 }), (a, b, step) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const up = parseFrameRange(`${lo}-${hi}x${step}`);
        const down = parseFrameRange(`${up[up.length - 1]}-${lo}x-${step}`);
        expect(down).toEqual([...up].reverse());
      }),
    );
  }, 60_000);

  it('formatFrameList writes what parseFrameRange reads back', () => {
    fc.assert(
      fc.property(fc.uniqueArray(small, { minLength: 1, maxLength: 60 }), (frames) => {
        expect(parseFrameRange(formatFrameList(frames))).toEqual(frames);
      }),
    );
  }, 60_000);

  it('chunks hold every frame once, in order, each at most the chunk size', () => {
    fc.assert(
      fc.property(fc.uniqueArray(small, { maxLength: 100 }), fc.integer({ min: 1, max: 12 }), (frames, size) => {
        const chunks = chunkFrames(frames, size);
        expect(chunks.flatMap((c) => c.frames)).toEqual(frames);
        for (const c of chunks) {
          expect(c.frames.length).toBeLessThanOrEqual(size);
          expect(c.number).toBe(c.frames[0]);
        }
      }),
    );
  }, 60_000);
});

describe('chunks', () => {
  it('a chunk size below 1 is refused rather than looping forever', () => {
    expect(() => chunkFrames([1, 2, 3], 0)).toThrow('chunk size must be a whole number of 1 or more, not 0');
  });
  it('a chunk is known by its first frame', () => {
    expect(chunkFrames(parseFrameRange('1-10'), 4).map((c) => [c.number, formatFrameList(c.frames)])).toEqual([
      [1, '1-4'],
      [5, '5-8'],
      [9, '9-10'],
    ]);
  });
});
