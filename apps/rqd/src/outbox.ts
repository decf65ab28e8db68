/**
 * The host's outgoing frame events (started, log chunks, exited), numbered, kept on disk, and
 * delivered in order with acknowledgements. While the dispatcher is unreachable they pile up in
 * the journal; on reconnect — also after a dispatcher or rqd restart — they are sent again from
 * the first unacknowledged one. The dispatcher applies an event only if its `seq` is above the
 * last it applied for this host, so each is applied exactly once.
 *
 * Log chunks are journaled as references into the log file (offset and length), not copies:
 * the log file already holds the bytes, and a long outage would otherwise double the disk used.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Ack, FrameExited, FrameStarted, LogChunk } from '@farmhand/contracts';
import { RQD_EVENTS } from '@farmhand/contracts';

export type OutboxEvent =
  | { event: typeof RQD_EVENTS.started; payload: Omit<FrameStarted, 'seq'> }
  | { event: typeof RQD_EVENTS.exited; payload: Omit<FrameExited, 'seq'> }
  | { event: typeof RQD_EVENTS.log; payload: Omit<LogChunk, 'seq' | 'data'> & { file: string; length: number; data?: string } };

type Entry = OutboxEvent & { seq: number; acked?: boolean };

/** Sends one event and resolves with the dispatcher's ack; rejects on timeout or disconnect. */
export type Transport = (event: string, payload: object) => Promise<Ack>;

export interface OutboxOptions {
  /** Directory of this host's journal; created when missing. */
  dir: string;
  /** Events in flight at once. */
  window?: number;
  /** Wait before sending again after a lost acknowledgement. */
  retryDelayMs?: number;
  /** Log data kept in memory for sending; past it, chunks are read back from their files. */
  memoryBudgetBytes?: number;
  onRefused?: (seq: number, event: string, error: string) => void;
}

export class Outbox {
  private readonly journal: string;
  /**
   * The journal stays open for appends while events flow: opening it for each event
   * (appendFileSync) cost an open and a close per event — most of a busy simulated farm's CPU.
   * Same bytes, same durability (no fsync either way: the journal survives an rqd crash, not a
   * power cut). Closed after a few idle seconds, so ten thousand quiet hosts in one simulating
   * process hold no descriptors.
   */
  private fd: number | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private queue: Entry[] = [];
  /** Pushed in this tick, not yet journaled (see writeJournal). */
  private unwritten: Entry[] = [];
  private head = 0;
  private cursor = 0;
  private inFlight = 0;
  private generation = 0;
  private nextSeq: number;
  private unacked = 0;
  private memoryBytes = 0;
  private transport: Transport | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly drainWaiters: Array<() => void> = [];

  constructor(private readonly options: OutboxOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.journal = path.join(options.dir, 'outbox.jsonl');
    this.queue = this.readJournal();
    this.unacked = this.queue.length;
    const lastSeq = this.queue.at(-1)?.seq ?? 0;
    // Microseconds since the epoch: above any seq this host used before, even with a lost journal.
    this.nextSeq = Math.max(lastSeq + 1, Date.now() * 1000);
  }

  /** Events not yet acknowledged. */
  get pending(): number {
    return this.unacked;
  }

  push(item: OutboxEvent): number {
    const entry = { ...item, seq: this.nextSeq++ } as Entry;
    if (this.unwritten.length === 0) queueMicrotask(() => this.writeJournal());
    this.unwritten.push(entry);
    this.unacked++;
    if (entry.event === RQD_EVENTS.log && entry.payload.data !== undefined) {
      this.memoryBytes += entry.payload.length;
      if (this.memoryBytes > (this.options.memoryBudgetBytes ?? 32 * 1024 * 1024)) {
        this.memoryBytes -= entry.payload.length;
        entry.payload = { ...entry.payload, data: undefined };
      }
    }
    return entry.seq;
  }

  /**
   * The events pushed in this tick go to the journal in one write, and only then out (journaled
   * before sent): a frame's last log chunk and its exit, or the starts of a host's sixteen
   * launches, cost one system call instead of one each — on a busy host most of rqd's own CPU.
   */
  private writeJournal(): void {
    if (this.unwritten.length === 0) return;
    const entries = this.unwritten;
    this.unwritten = [];
    writeSync(this.journalFd(), entries.map((e) => `${JSON.stringify(journalForm(e))}\n`).join(''));
    this.queue.push(...entries);
    this.pump();
  }

  /** Starts (or restarts, from the first unacknowledged event) delivery over `transport`. */
  attach(transport: Transport): void {
    this.transport = transport;
    this.restart();
  }

  /** The connection is gone: everything in flight counts as unsent. */
  detach(): void {
    this.transport = undefined;
    clearTimeout(this.retryTimer);
    this.generation++;
    this.inFlight = 0;
    this.cursor = this.head;
  }

  /** Resolves once every event pushed so far is acknowledged. */
  drained(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    this.writeJournal();
    this.detach();
    this.closeJournal();
  }

  private journalFd(): number {
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this.fd ??= openSync(this.journal, 'a');
    return this.fd;
  }

  /** Everything acknowledged: the journal is emptied (appends start again at 0) and closed if nothing follows soon. */
  private emptyJournal(): void {
    if (this.fd === undefined) {
      writeFileSync(this.journal, '');
      return;
    }
    ftruncateSync(this.fd, 0);
    clearTimeout(this.closeTimer);
    this.closeTimer = setTimeout(() => this.closeJournal(), 3000);
    this.closeTimer.unref();
  }

  private closeJournal(): void {
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private restart(): void {
    clearTimeout(this.retryTimer);
    this.generation++;
    this.inFlight = 0;
    this.cursor = this.head;
    this.pump();
  }

  private pump(): void {
    const window = this.options.window ?? 256;
    while (this.transport && this.inFlight < window && this.cursor < this.queue.length) {
      const entry = this.queue[this.cursor++] as Entry;
      if (entry.acked) continue;
      const payload = this.wirePayload(entry);
      if (!payload) {
        this.acknowledge(entry);
        continue;
      }
      const generation = this.generation;
      this.inFlight++;
      this.transport(entry.event, payload).then(
        (ack) => {
          if (generation === this.generation) this.inFlight--;
          if (!ack.ok) this.options.onRefused?.(entry.seq, entry.event, ack.error);
          this.acknowledge(entry);
          this.pump();
        },
        () => {
          if (generation !== this.generation) return;
          // Lost: send everything again from the first unacknowledged event, in order.
          this.generation++;
          this.inFlight = 0;
          this.retryTimer = setTimeout(() => this.restart(), this.options.retryDelayMs ?? 1000);
        },
      );
    }
  }

  private acknowledge(entry: Entry): void {
    if (entry.acked) return;
    entry.acked = true;
    this.unacked--;
    if (entry.event === RQD_EVENTS.log && entry.payload.data !== undefined) this.memoryBytes -= entry.payload.length;
    while (this.head < this.queue.length && this.queue[this.head]?.acked) this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      this.cursor = 0;
      this.emptyJournal();
      for (const resolve of this.drainWaiters.splice(0)) resolve();
    } else if (this.head > 10_000 && this.head * 2 > this.queue.length) {
      this.compact();
    }
  }

  /** Drops acknowledged entries from memory and from the journal. */
  private compact(): void {
    const live = this.queue.slice(this.head).filter((e) => !e.acked);
    const cursorSeq = this.queue[this.cursor]?.seq ?? Number.POSITIVE_INFINITY;
    this.queue = live;
    this.head = 0;
    this.cursor = live.findIndex((e) => e.seq >= cursorSeq);
    if (this.cursor < 0) this.cursor = live.length;
    const temp = `${this.journal}.tmp`;
    writeFileSync(temp, live.map((e) => `${JSON.stringify(journalForm(e))}\n`).join(''));
    this.closeJournal(); // the name now points at the new file
    renameSync(temp, this.journal);
  }

  /** The payload as sent, with its seq; log data read back from the file when not in memory. */
  private wirePayload(entry: Entry): object | undefined {
    if (entry.event !== RQD_EVENTS.log) return { ...entry.payload, seq: entry.seq };
    const { file, length, data, ...chunk } = entry.payload;
    const text = data ?? readLogRange(file, chunk.offset, length);
    if (text === undefined) return undefined;
    return { ...chunk, data: text, seq: entry.seq };
  }

  private readJournal(): Entry[] {
    if (!existsSync(this.journal)) return [];
    const entries: Entry[] = [];
    for (const line of readFileSync(this.journal, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        entries.push(JSON.parse(line) as Entry);
      } catch {
        // a line cut short by a crash mid-write: everything before it is intact
      }
    }
    return entries;
  }
}

function journalForm(entry: Entry): Entry {
  if (entry.event !== RQD_EVENTS.log) return entry;
  const { data: _data, ...reference } = entry.payload;
  return { ...entry, payload: reference };
}

function readLogRange(file: string, offset: number, length: number): string | undefined {
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const read = readSync(fd, buffer, 0, length, offset);
      return buffer.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
