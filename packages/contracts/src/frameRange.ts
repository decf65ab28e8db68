/**
 * The frame-range grammar studios type into submit forms, following OpenCue's FrameSet:
 *   `5`            one frame
 *   `1-100`        inclusive range; `100-1` counts down; negative frames allowed (`-10--1`, `-5-5`)
 *   `1-100x5`      every 5th frame: 1, 6, 11, …  (`100-1x-5` counts down: 100, 95, …)
 *   `1-100y5`      the inverse of x5: the frames x5 would skip
 *   `1-100:5`      interleaved: x5 first, then the step halved (integer division) down to 1,
 *                  no frame twice — OpenCue's order, e.g. `1-10:5` → 1,6,3,5,7,9,2,4,8,10
 *   `1,3,7-9`      a comma-separated list of any of the above
 * Spaces are allowed around commas and at the ends, not inside a part. Unlike OpenCue's
 * FrameSet, a frame listed twice is kept once (its first place), since a job cannot render a
 * frame twice. Errors name the position in the text (1-based) and what was expected.
 */

export class FrameRangeError extends Error {
  constructor(
    readonly spec: string,
    readonly position: number,
    readonly expected: string,
  ) {
    super(`Frame range '${spec}' is not valid at position ${position + 1}: ${expected}`);
    this.name = 'FrameRangeError';
  }
}

/** A layer may not expand to more frames than this; it protects memory from a typo like 1-1000000000. */
export const MAX_FRAMES_PER_RANGE = 1_000_000;

/** Frame numbers are stored as 32-bit integers. */
export const MAX_FRAME_NUMBER = 2_147_483_647;

const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  peek(): string | undefined {
    return this.text[this.pos];
  }
  done(): boolean {
    return this.pos >= this.text.length;
  }
  /** At a comma, a space or the end: where a part may stop. */
  atPartEnd(): boolean {
    return this.done() || this.peek() === ',' || isSpace(this.peek());
  }
  skipSpace(): void {
    while (isSpace(this.peek())) this.pos++;
  }
  fail(expected: string, at = this.pos): never {
    throw new FrameRangeError(this.text, at, expected);
  }
  integer(what: string): number {
    const start = this.pos;
    if (this.peek() === '-') this.pos++;
    while (isDigit(this.peek())) this.pos++;
    const digits = this.text.slice(start, this.pos);
    if (digits === '' || digits === '-') this.fail(`expected ${what}`, start);
    const value = Number(digits);
    if (Math.abs(value) > MAX_FRAME_NUMBER) this.fail(`${what} must be between -${MAX_FRAME_NUMBER} and ${MAX_FRAME_NUMBER}`, start);
    return value;
  }
}

type Push = (frame: number) => void;

/** `start` towards `end` by `step` (whose sign matches the direction). */
function stepped(start: number, end: number, step: number, push: Push): void {
  if (step > 0) for (let f = start; f <= end; f += step) push(f);
  else for (let f = start; f >= end; f += step) push(f);
}

function expandPart(c: Cursor, push: Push): void {
  const startPos = c.pos;
  const start = c.integer('a frame number');
  if (c.atPartEnd()) {
    push(start);
    return;
  }
  if (c.peek() !== '-') c.fail("expected '-', ',' or the end");
  c.pos++;
  const end = c.integer('the last frame of the range');
  const direction = end >= start ? 1 : -1;
  if (Math.abs(end - start) > MAX_FRAMES_PER_RANGE * 1000) c.fail('the range is too long', startPos);
  if (c.atPartEnd()) {
    stepped(start, end, direction, push);
    return;
  }
  const op = c.peek() as string;
  if (op !== 'x' && op !== 'y' && op !== ':') c.fail("expected 'x', 'y', ':', ',' or the end");
  c.pos++;
  const stepPos = c.pos;
  const step = c.integer(`a step after '${op}'`);
  const sign = direction > 0 ? 'a positive' : 'a negative';
  if (step === 0) c.fail(`the step after ${op} must be ${sign} integer`, stepPos);
  if (start !== end && Math.sign(step) !== direction)
    c.fail(
      `${start}-${end} counts ${direction > 0 ? 'up' : 'down'}, so the step after ${op} must be ${sign} integer (${start}-${end}${op}${-step})`,
      stepPos,
    );
  const dir = start === end ? 1 : direction;
  const size = Math.abs(step);
  if (op === 'x') stepped(start, end, dir * size, push);
  else if (op === 'y') {
    if (size === 1) c.fail('y1 would leave no frames: the step after y must be 2 or more', stepPos);
    const span = Math.abs(end - start);
    for (let k = 0; k <= span; k++) if (k % size !== 0) push(start + dir * k);
  } else {
    // OpenCue's interleave: step, step/2, step/4, … 1 (integer division), skipping frames already taken.
    for (let s = size; s >= 1; s = Math.floor(s / 2)) stepped(start, end, dir * s, push);
  }
  if (!c.atPartEnd()) c.fail("expected ',' or the end");
}

/** Expands a frame range into its frames, in dispatch order. Throws FrameRangeError. */
export function parseFrameRange(spec: string): number[] {
  const c = new Cursor(spec);
  const out: number[] = [];
  const seen = new Set<number>();
  let partPos = 0;
  const push: Push = (n) => {
    if (seen.has(n)) return;
    if (out.length >= MAX_FRAMES_PER_RANGE)
      c.fail(`a range may hold at most ${MAX_FRAMES_PER_RANGE.toLocaleString('en-US')} frames`, partPos);
    seen.add(n);
    out.push(n);
  };
  c.skipSpace();
  if (c.done()) c.fail('expected a frame number');
  for (;;) {
    partPos = c.pos;
    expandPart(c, push);
    c.skipSpace();
    if (c.done()) {
      if (out.length === 0) c.fail('the range holds no frames', 0);
      return out;
    }
    if (c.peek() !== ',') c.fail("expected ',' or the end");
    c.pos++;
    c.skipSpace();
    if (c.done()) c.fail('expected a frame number after the comma');
  }
}

/** Null when valid, else the message. For forms that validate as the user types. */
export function frameRangeError(spec: string): string | null {
  try {
    parseFrameRange(spec);
    return null;
  } catch (e) {
    if (e instanceof FrameRangeError) return e.message;
    throw e;
  }
}

export interface Chunk {
  /** The frame number a chunk is known by: its first frame (OpenCue's convention). */
  number: number;
  frames: number[];
}

/** Groups frames, in dispatch order, into chunks of `size`: each chunk becomes one frame row. */
export function chunkFrames(frames: readonly number[], size: number): Chunk[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a whole number of 1 or more, not ${size}`);
  const chunks: Chunk[] = [];
  for (let i = 0; i < frames.length; i += size) {
    const part = frames.slice(i, i + size);
    chunks.push({ number: part[0] as number, frames: part });
  }
  return chunks;
}

/** The compact spec of a list of frames, e.g. [1,2,3,7] → "1-3,7"; parseFrameRange reads it back. */
export function formatFrameList(frames: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < frames.length) {
    let j = i;
    while (j + 1 < frames.length && (frames[j + 1] as number) === (frames[j] as number) + 1) j++;
    parts.push(j === i ? String(frames[i]) : `${frames[i]}-${frames[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
