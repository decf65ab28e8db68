/**
 * The frame-range grammar studios type into submit forms, following OpenCue's FrameSet:
 *   `5`            one frame
 *   `1-100`        inclusive range (negative frames allowed: `-10--1`, `-5-5`)
 *   `1-100x5`      every 5th frame: 1, 6, 11, …
 *   `1-100y5`      the inverse of x5: the frames x5 would skip
 *   `1-100:5`      interleaved: x5 first, then the steps halved down to 1, no frame twice
 *   `1,3,7-9`      a comma-separated list of any of the above (duplicates dropped, order kept)
 * Errors name the position in the text and what was expected.
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

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  peek(): string | undefined {
    return this.text[this.pos];
  }
  done(): boolean {
    return this.pos >= this.text.length;
  }
  fail(expected: string): never {
    throw new FrameRangeError(this.text, this.pos, expected);
  }
  integer(what: string): number {
    const start = this.pos;
    if (this.peek() === '-') this.pos++;
    while (this.pos < this.text.length && /[0-9]/.test(this.text[this.pos] as string)) this.pos++;
    const digits = this.text.slice(start, this.pos);
    if (digits === '' || digits === '-') {
      this.pos = start;
      this.fail(`expected ${what}`);
    }
    const value = Number(digits);
    if (!Number.isSafeInteger(value)) {
      this.pos = start;
      this.fail(`${what} is too large`);
    }
    return value;
  }
}

function expandPart(c: Cursor, out: number[], seen: Set<number>): void {
  const push = (n: number) => {
    if (seen.has(n)) return;
    if (out.length >= MAX_FRAMES_PER_RANGE) c.fail(`a range may hold at most ${MAX_FRAMES_PER_RANGE.toLocaleString('en-US')} frames`);
    seen.add(n);
    out.push(n);
  };
  const startPos = c.pos;
  const start = c.integer('a frame number');
  if (c.done() || c.peek() === ',') {
    push(start);
    return;
  }
  if (c.peek() !== '-') c.fail("expected '-', ',' or the end");
  c.pos++;
  const endPos = c.pos;
  const end = c.integer('the last frame of the range');
  if (end < start) {
    c.pos = endPos;
    c.fail(`the range ends (${end}) before it starts (${start})`);
  }
  if ((end - start) / 1 > MAX_FRAMES_PER_RANGE * 1000) {
    c.pos = startPos;
    c.fail('the range is too long');
  }
  const op = c.peek();
  if (c.done() || op === ',') {
    for (let f = start; f <= end; f++) push(f);
    return;
  }
  if (op !== 'x' && op !== 'y' && op !== ':') c.fail("expected 'x', 'y', ':', ',' or the end");
  c.pos++;
  const stepPos = c.pos;
  if (c.peek() === '-') c.fail(`the step after ${op} must be a positive integer`);
  const step = c.integer(`a step after '${op}'`);
  if (step <= 0) {
    c.pos = stepPos;
    c.fail(`the step after ${op} must be a positive integer`);
  }
  if (op === 'x') {
    for (let f = start; f <= end; f += step) push(f);
  } else if (op === 'y') {
    for (let f = start; f <= end; f++) if ((f - start) % step !== 0) push(f);
  } else {
    for (let s = step; s >= 1; s = s === 1 ? 0 : Math.max(1, Math.floor(s / 2))) {
      for (let f = start; f <= end; f += s) push(f);
    }
  }
  if (!c.done() && c.peek() !== ',') c.fail("expected ',' or the end");
}

/** Expands a frame range into its frames, in dispatch order. Throws FrameRangeError. */
export function parseFrameRange(spec: string): number[] {
  const c = new Cursor(spec.replace(/\s+/g, ''));
  if (c.done()) c.fail('expected a frame number');
  const out: number[] = [];
  const seen = new Set<number>();
  for (;;) {
    expandPart(c, out, seen);
    if (c.done()) return out;
    c.pos++; // ','
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
  const chunks: Chunk[] = [];
  for (let i = 0; i < frames.length; i += size) {
    const part = frames.slice(i, i + size);
    chunks.push({ number: part[0] as number, frames: part });
  }
  return chunks;
}

/** The compact spec of a list of frames, e.g. [1,2,3,7] → "1-3,7". */
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
