/**
 * Group commit. Every transition the dispatcher makes is queued here as a small write; the
 * queue flushes everything waiting in one database transaction, so that many frame
 * completions cost one commit. A caller awaits its own write before it acknowledges or acts
 * on it (persist before acknowledge), and writes are applied in the order they were queued.
 */
import type { Db } from '@farmhand/db';

export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
export type Write = (tx: Tx) => Promise<unknown>;

interface Pending {
  write: Write;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class WriteQueue {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  commits = 0;
  writes = 0;

  constructor(
    private readonly db: Db,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Queues a write; resolves once it is committed. */
  push(write: Write): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the dispatcher is stopping: write refused'));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let the current tick queue more writes before committing.
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.db.$transaction(
          async (tx) => {
            for (const p of batch) await p.write(tx);
          },
          { timeout: 60_000, maxWait: 60_000 },
        );
        this.commits++;
        this.writes += batch.length;
        for (const p of batch) p.resolve();
      } catch (e) {
        if (batch.length === 1) {
          this.onError(e);
          batch[0]?.reject(e);
          continue;
        }
        // One bad write must not fail the others committed with it: retry each on its own.
        for (const p of batch) {
          try {
            await this.db.$transaction(async (tx) => p.write(tx), { timeout: 60_000, maxWait: 60_000 });
            this.commits++;
            this.writes++;
            p.resolve();
          } catch (single) {
            this.onError(single);
            p.reject(single);
          }
        }
      }
    }
    this.flushing = null;
  }

  /** Waits for everything queued so far to be committed. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
  }
}
