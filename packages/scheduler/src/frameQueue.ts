/**
 * A layer's ready frames in dispatch order, and how many the passes have taken. Built from the
 * snapshot as a slice of one shared index (no array per layer, nothing per frame for the
 * garbage collector to trace); copied into an array of its own only when frames are added or
 * removed, so a slice handed out earlier never changes under its holder.
 */
import type { ReadyFrame } from './types';

/** Frames `from`..`to` of a queue as they were when it was taken. */
export interface FrameSlice {
  readonly list: readonly ReadyFrame[];
  readonly index: Int32Array | undefined;
  readonly from: number;
  readonly to: number;
}

export function frameAt(slice: FrameSlice, i: number): ReadyFrame {
  return slice.list[slice.index ? (slice.index[i] as number) : i] as ReadyFrame;
}

const before = (a: ReadyFrame, b: ReadyFrame) => a.order < b.order || (a.order === b.order && a.id < b.id);

export class FrameQueue {
  head: number;
  private list: readonly ReadyFrame[];
  private index: Int32Array | undefined;
  private end: number;
  /** True while `list` (or `index`) may be seen by others: mutate a copy. */
  private shared: boolean;

  /**
   * Frames `list[index[start..end)]` (or `list[start..end)` without an index), sorted here by
   * dispatch order if they are not already: an unsorted run gets an index of its own.
   */
  constructor(list: readonly ReadyFrame[], index: Int32Array | undefined, start: number, end: number) {
    this.list = list;
    this.index = index;
    this.head = start;
    this.end = end;
    this.shared = true;
    if (index) sortIndex(list, index.subarray(start, end));
    else if (!isSorted(list, start, end)) {
      this.index = Int32Array.from({ length: end - start }, (_, i) => start + i);
      sortIndex(list, this.index);
      this.head = 0;
      this.end = end - start;
    }
  }

  static empty(): FrameQueue {
    return new FrameQueue([], undefined, 0, 0);
  }

  get remaining(): number {
    return this.end - this.head;
  }

  private at(i: number): ReadyFrame {
    return this.list[this.index ? (this.index[i] as number) : i] as ReadyFrame;
  }

  /** The next frame; only when `remaining > 0`. */
  peek(): ReadyFrame {
    return this.at(this.head);
  }

  take(): ReadyFrame {
    return this.at(this.head++);
  }

  /** Takes every frame left (a removed job). */
  drain(): void {
    this.head = this.end;
  }

  /** What is left, fixed as of now. */
  left(): FrameSlice {
    this.shared = true;
    return { list: this.list, index: this.index, from: this.head, to: this.end };
  }

  /**
   * A frame that became ready: placed among the frames not yet taken (at or after the head),
   * never before the head — slots before it are frames passes already took.
   */
  insert(frame: ReadyFrame): void {
    const list = this.own();
    let i = list.length;
    while (i > this.head && before(frame, list[i - 1] as ReadyFrame)) i--;
    list.splice(i, 0, frame);
    this.end = list.length;
  }

  /** Several frames at once: one merge instead of one shift of the array per frame. */
  insertMany(frames: readonly ReadyFrame[]): void {
    if (frames.length < 8) {
      for (const f of frames) this.insert(f);
      return;
    }
    const list = this.own();
    const added = [...frames].sort((a, b) => a.order - b.order || a.id - b.id);
    const merged: ReadyFrame[] = [];
    let i = this.head;
    let j = 0;
    while (i < list.length && j < added.length) {
      const a = list[i] as ReadyFrame;
      const b = added[j] as ReadyFrame;
      if (before(b, a)) {
        merged.push(b);
        j++;
      } else {
        merged.push(a);
        i++;
      }
    }
    while (i < list.length) merged.push(list[i++] as ReadyFrame);
    while (j < added.length) merged.push(added[j++] as ReadyFrame);
    this.list = merged;
    this.head = 0;
    this.end = merged.length;
  }

  /** A frame that stopped being ready; only frames not yet taken are looked at. */
  remove(frameId: number): boolean {
    const list = this.own();
    let i = -1;
    for (let k = this.head; k < list.length; k++)
      if ((list[k] as ReadyFrame).id === frameId) {
        i = k;
        break;
      }
    if (i < 0) return false;
    list.splice(i, 1);
    this.end = list.length;
    return true;
  }

  /** The frames left, in an array this queue alone holds. */
  private own(): ReadyFrame[] {
    // Kept as is unless shared, indexed, or mostly frames already taken (then compacted).
    if (!this.shared && !this.index && (this.head < 1024 || this.head * 2 < this.end)) return this.list as ReadyFrame[];
    const own: ReadyFrame[] = [];
    for (let i = this.head; i < this.end; i++) own.push(this.at(i));
    this.list = own;
    this.index = undefined;
    this.head = 0;
    this.end = own.length;
    this.shared = false;
    return own;
  }
}

function isSorted(list: readonly ReadyFrame[], start: number, end: number): boolean {
  for (let i = start + 1; i < end; i++) if (before(list[i] as ReadyFrame, list[i - 1] as ReadyFrame)) return false;
  return true;
}

function sortIndex(list: readonly ReadyFrame[], index: Int32Array): void {
  for (let i = 1; i < index.length; i++) {
    if (before(list[index[i] as number] as ReadyFrame, list[index[i - 1] as number] as ReadyFrame)) {
      index.sort((a, b) => {
        const fa = list[a] as ReadyFrame;
        const fb = list[b] as ReadyFrame;
        return fa.order - fb.order || fa.id - fb.id;
      });
      return;
    }
  }
}
