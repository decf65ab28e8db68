/**
 * Deltas that arrive while a read of the same data is in flight, kept per read. Each read
 * opens its own buffer; every delta goes to every open buffer; when a read returns, the deltas
 * it may have missed are applied on top of it.
 *
 * Why per read: a page may start a second read before the first returns (a resync, a frame the
 * page did not hold). With one shared buffer the first read to return took the second's
 * deltas away and the second applied none — the grid then ended in a state older than the
 * server's, and stayed there once the job went quiet.
 */
export class ReadDeltas<D> {
  private readonly open = new Set<D[]>();

  /** Starts a read: deltas from now on are kept for it until `end`. */
  begin(): D[] {
    const buffer: D[] = [];
    this.open.add(buffer);
    return buffer;
  }

  /** Hands a live delta batch to every read in flight. */
  push(deltas: readonly D[]): void {
    for (const buffer of this.open) buffer.push(...deltas);
  }

  /** Ends a read (returned or failed): what arrived during it, in arrival order. */
  end(buffer: D[]): D[] {
    this.open.delete(buffer);
    return buffer;
  }

  get reading(): boolean {
    return this.open.size > 0;
  }
}

/**
 * Reads `read()` and applies the deltas that arrived meanwhile with `apply`, synchronously after
 * the read returns, so no delta slips between the two.
 */
export async function readWithDeltas<T, D>(deltas: ReadDeltas<D>, read: () => Promise<T>, apply: (data: T, early: D[]) => T): Promise<T> {
  const buffer = deltas.begin();
  try {
    const data = await read();
    return apply(data, deltas.end(buffer));
  } finally {
    deltas.end(buffer);
  }
}
