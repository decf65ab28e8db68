/**
 * One attempt's log file and its live stream. Every byte written to the file — header, output,
 * rqd's own notes, footer — is also handed out in chunks carrying their byte offset in the file,
 * batched over ~50 ms, so the chunks join into exactly the file's content. Bytes reach the file
 * when their chunk is cut (one write per batch, not one per line: a busy host's frames print
 * thousands of lines), so the file and the chunks the outbox points into never disagree. The frame's output
 * counts against a cap; past it, output is dropped and the owner is told once.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { completeUtf8Length } from './utf8';

export interface LogChunkOut {
  offset: number;
  /** Bytes of the file `data` covers. */
  length: number;
  data: string;
}

export interface FrameLogOptions {
  batchMs: number;
  capBytes: number;
  /** Chunks larger than this go out without waiting for the batch window. */
  maxChunkBytes?: number;
}

export class FrameLog {
  private fd: number;
  private written = 0;
  private outputBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingOffset = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  overCap = false;

  constructor(
    readonly file: string,
    private readonly onChunk: (chunk: LogChunkOut) => void,
    private readonly options: FrameLogOptions,
  ) {
    this.fd = openLog(file);
  }

  /** Bytes of the log so far (in the file, or about to be at the next cut). */
  get size(): number {
    return this.written;
  }

  /** The frame's output. Returns false the first time the cap is passed; later output is dropped. */
  output(data: Buffer): boolean {
    if (this.overCap || this.closed) return true;
    const room = this.options.capBytes - this.outputBytes;
    if (data.length > room) {
      this.append(data.subarray(0, Math.max(0, room)));
      this.outputBytes = this.options.capBytes;
      this.overCap = true;
      return false;
    }
    this.outputBytes += data.length;
    this.append(data);
    return true;
  }

  /** rqd's own lines (header, notes, footer): never capped. */
  note(text: string): void {
    if (!this.closed) this.append(Buffer.from(text));
  }

  /** Flushes the last chunk and closes the file. */
  close(): void {
    if (this.closed) return;
    this.flush(true);
    this.closed = true;
    closeSync(this.fd);
  }

  private append(data: Buffer): void {
    if (data.length === 0) return;
    this.written += data.length;
    this.pending.push(data);
    this.pendingBytes += data.length;
    if (this.pendingBytes >= (this.options.maxChunkBytes ?? 256 * 1024)) this.flush(false);
    else this.timer ??= setTimeout(() => this.flush(false), this.options.batchMs);
  }

  private flush(final: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingBytes === 0) return;
    const bytes = Buffer.concat(this.pending, this.pendingBytes);
    const cut = final ? bytes.length : completeUtf8Length(bytes);
    const rest = bytes.subarray(cut);
    if (cut > 0) writeAll(this.fd, bytes.subarray(0, cut));
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    if (cut > 0) this.onChunk({ offset: this.pendingOffset, length: cut, data: bytes.subarray(0, cut).toString('utf8') });
    this.pendingOffset += cut;
    if (rest.length > 0) this.timer = setTimeout(() => this.flush(false), this.options.batchMs);
  }
}

/** Opens a new log file; its directory is created only when missing (one syscall saved per frame). */
function openLog(file: string): number {
  try {
    return openSync(file, 'w', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(path.dirname(file), { recursive: true });
    return openSync(file, 'w', 0o644);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let at = 0;
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
}
