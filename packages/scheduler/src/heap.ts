/**
 * A binary min-heap whose entries know their position, so an entry can be re-keyed or
 * removed in O(log n). The scheduler keeps one per (host class, show, layer shape) and
 * re-keys layers as their next frame or their job's share of cores changes.
 */

export interface HeapEntry {
  /** Position in the heap, -1 when not in one. */
  heapIndex: number;
}

export class IndexedHeap<T extends HeapEntry> {
  private readonly items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(entry: T): boolean {
    return entry.heapIndex >= 0 && this.items[entry.heapIndex] === entry;
  }

  /** Adds many entries at once in O(n) (Floyd's heapify) instead of O(n log n). */
  pushAll(entries: readonly T[]): void {
    for (const entry of entries) {
      entry.heapIndex = this.items.length;
      this.items.push(entry);
    }
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  push(entry: T): void {
    entry.heapIndex = this.items.length;
    this.items.push(entry);
    this.up(entry.heapIndex);
  }

  remove(entry: T): void {
    const i = entry.heapIndex;
    if (i < 0 || this.items[i] !== entry) return;
    const last = this.items.pop() as T;
    entry.heapIndex = -1;
    if (last === entry) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.update(last);
  }

  /** Restores order after the entry's key changed (either way). */
  update(entry: T): void {
    const i = entry.heapIndex;
    if (i < 0 || this.items[i] !== entry) return;
    if (!this.up(i)) this.down(i);
  }

  private up(start: number): boolean {
    const items = this.items;
    let i = start;
    const entry = items[i] as T;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!this.less(entry, p)) break;
      items[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    items[i] = entry;
    entry.heapIndex = i;
    return i !== start;
  }

  private down(start: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    const entry = items[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.less(items[r] as T, items[l] as T)) c = r;
      const child = items[c] as T;
      if (!this.less(child, entry)) break;
      items[i] = child;
      child.heapIndex = i;
      i = c;
    }
    items[i] = entry;
    entry.heapIndex = i;
  }
}
