/**
 * Joins a frame log read from its file with the live chunks streamed after it, by byte
 * offset, so the viewer shows every byte once: no gap, no duplicate. Chunks that arrive
 * before the file has been read, or past a gap, are held until the bytes before them are in.
 */

export type ChunkOutcome = 'appended' | 'duplicate' | 'held';

interface Held {
  offset: number;
  bytes: Uint8Array;
}

const encoder = new TextEncoder();

export class LogJoin {
  /** Bytes of the file covered so far, counted from its start. */
  private end: number | null = null;
  /** Where the text starts in the file (0 unless only the tail was read). */
  private start = 0;
  private held: Held[] = [];
  private decoder = new TextDecoder('utf-8');
  private parts: string[] = [];

  /** The file's bytes from `offset` on, as read from the log endpoint. Call once, first or after chunks. */
  readFile(offset: number, bytes: Uint8Array): void {
    if (this.end !== null) {
      this.accept(offset, bytes);
      return;
    }
    this.start = offset;
    this.end = offset;
    this.accept(offset, bytes);
  }

  /** A live chunk: `data` was written at byte `offset` of the file. */
  chunk(offset: number, data: string): ChunkOutcome {
    return this.accept(offset, encoder.encode(data));
  }

  /** The byte range still missing before held chunks can be shown (fetch it from the file), if any. */
  missing(): { from: number; to: number } | null {
    const first = this.held[0];
    if (this.end === null || !first || first.offset <= this.end) return null;
    return { from: this.end, to: first.offset - 1 };
  }

  get bytesRead(): number {
    return this.end ?? 0;
  }

  get startsAt(): number {
    return this.start;
  }

  get ready(): boolean {
    return this.end !== null;
  }

  get text(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? '';
  }

  private accept(offset: number, bytes: Uint8Array): ChunkOutcome {
    const chunkEnd = offset + bytes.length;
    if (this.end === null || offset > this.end) {
      if (this.end !== null && chunkEnd <= this.end) return 'duplicate';
      this.hold({ offset, bytes });
      return 'held';
    }
    if (chunkEnd <= this.end) return 'duplicate';
    this.append(bytes.subarray(this.end - offset));
    this.drain();
    return 'appended';
  }

  private append(bytes: Uint8Array): void {
    this.parts.push(this.decoder.decode(bytes, { stream: true }));
    this.end = (this.end ?? 0) + bytes.length;
  }

  private hold(h: Held): void {
    const at = this.held.findIndex((x) => x.offset > h.offset);
    if (at === -1) this.held.push(h);
    else this.held.splice(at, 0, h);
  }

  private drain(): void {
    while (this.end !== null) {
      const next = this.held[0];
      if (!next || next.offset > this.end) return;
      this.held.shift();
      const nextEnd = next.offset + next.bytes.length;
      if (nextEnd > this.end) this.append(next.bytes.subarray(this.end - next.offset));
    }
  }
}
