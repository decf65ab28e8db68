/**
 * The connection the group commit writes through, beside Prisma (which the dispatcher keeps for
 * reads). SQLite: better-sqlite3's synchronous API — a commit runs start to end without yielding,
 * so the write lock is held for milliseconds, never across other work of the event loop (the web
 * writes command rows to the same file), and each distinct statement is prepared once.
 * PostgreSQL: one dedicated `pg` client in a thread of its own (see PostgresWriter).
 */

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type Provider, postgresConfig, SQLITE_PRAGMAS, sqliteFilePath } from '@farmhand/db';
import Sqlite from 'better-sqlite3';
import type { Statement } from './sql';

/**
 * A writer's connections: `bookings` is a second one where the database has them (PostgreSQL),
 * so that a commit of bookings never waits behind another commit; elsewhere it is the one.
 */
export type Lane = 'main' | 'bookings';

export interface Writer {
  readonly provider: Provider;
  /** Whether `bookings` is a connection of its own, whose commits run beside the main one's. */
  readonly lanes: boolean;
  /** Runs the statements in one transaction; with `rollback`, undoes them (a trial run). */
  transaction(statements: readonly Statement[], rollback?: boolean, lane?: Lane): Promise<void>;
  /** The same, done when it returns; only a writer whose database call is synchronous (SQLite) has it. */
  transactionNow?(statements: readonly Statement[]): void;
  close(): Promise<void>;
}

const TRIAL = Symbol('trial');
const require = createRequire(import.meta.url);

class SqliteWriter implements Writer {
  readonly provider = 'sqlite' as const;
  readonly lanes = false;
  private readonly db: Sqlite.Database;
  private readonly prepared = new Map<string, Sqlite.Statement>();

  private readonly checkpointer: Worker;

  constructor(file: string) {
    this.db = new Sqlite(file, { timeout: 10_000 });
    for (const pragma of SQLITE_PRAGMAS) this.db.pragma(pragma);
    // A larger page cache keeps the frame and attempt indexes in memory between commits.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
    // Commits never checkpoint: a checkpoint copies the WAL into the database and syncs the
    // file, and on a busy disk that held the event loop for 100+ ms (every launch, every ack
    // waited behind it). A worker thread checkpoints instead, on its own connection.
    this.db.pragma('wal_autocheckpoint = 0');
    this.checkpointer = startCheckpointer(file);
  }

  async transaction(statements: readonly Statement[], rollback = false): Promise<void> {
    this.transactionNow(statements, rollback);
  }

  transactionNow(statements: readonly Statement[], rollback = false): void {
    const run = this.db.transaction(() => {
      for (const s of statements) this.statement(s.sql).run(...(s.params as unknown[]));
      if (rollback) throw TRIAL;
    });
    try {
      run.immediate(); // take the write lock at BEGIN: no upgrade from a read lock to fail halfway
    } catch (e) {
      if (e !== TRIAL) throw e;
    }
  }

  private statement(sql: string): Sqlite.Statement {
    let s = this.prepared.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.prepared.set(sql, s);
    }
    return s;
  }

  async close(): Promise<void> {
    await this.checkpointer.terminate();
    this.db.close();
  }
}

/**
 * PostgreSQL: one dedicated `pg` client in a worker thread, BEGIN … COMMIT (or one statement,
 * its own transaction). Why a thread: under load the dispatcher's event loop runs turns of
 * 100–900 ms (a thousand hosts' messages read in one poll), and a commit's answer read by the
 * main thread waited for the end of the turn — most of the time from a freed core to its next
 * launch, while the server had answered in a few milliseconds. The thread reads the answer at
 * once and marks it in shared memory; `noticeCommits()`, called as each host message arrives,
 * settles the commit there, in the middle of the turn (its launches go out with that message's
 * microtasks). The thread's message settles it too, when the dispatcher is idle.
 */
class PostgresWriter implements Writer {
  readonly provider = 'postgres' as const;
  readonly lanes = true;
  private readonly worker: Worker;
  /** Per lane, the last transaction the thread finished there, as its number × 2, plus 1 if it committed (one atomic value). */
  private readonly done = new BigInt64Array(new SharedArrayBuffer(16));
  private seq = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();

  constructor(url: string) {
    this.worker = new Worker(POSTGRES_THREAD, {
      eval: true,
      workerData: { config: postgresConfig(url), done: this.done.buffer, module: require.resolve('pg') },
    });
    this.worker.on('message', (m: { seq: number; error: ThreadError | null }) => this.settle(m.seq, m.error));
    this.worker.on('error', (e) => {
      for (const seq of [...this.pending.keys()]) this.settle(seq, { message: `the database thread failed: ${e.message}` });
    });
    this.worker.unref();
    writers.add(this);
  }

  transaction(statements: readonly Statement[], rollback = false, lane: Lane = 'main'): Promise<void> {
    const seq = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ seq, statements, rollback, lane: lane === 'main' ? 0 : 1 });
    });
  }

  /** Settles the transactions the thread last finished on each lane, if they committed (see noticeCommits). */
  notice(): void {
    if (this.pending.size === 0) return;
    for (let lane = 0; lane < 2; lane++) {
      const done = Atomics.load(this.done, lane);
      if (done % 2n === 1n) this.settle(Number(done / 2n), null);
    }
  }

  private settle(seq: number, error: ThreadError | null): void {
    const p = this.pending.get(seq);
    if (!p) return;
    this.pending.delete(seq);
    if (!error) p.resolve();
    else p.reject(Object.assign(new Error(error.message), { code: error.code, detail: error.detail }));
  }

  async close(): Promise<void> {
    writers.delete(this);
    await this.worker.terminate();
  }
}

interface ThreadError {
  message: string;
  code?: string;
  detail?: string;
}

/** The PostgreSQL writers of this process, whose finished commits `noticeCommits` settles. */
const writers = new Set<PostgresWriter>();

/** Settles commits the database thread has finished (cheap: one read of shared memory per writer). */
export function noticeCommits(): void {
  for (const w of writers) w.notice();
}

/**
 * The PostgreSQL thread: plain JavaScript evaluated in the worker. Each lane has its own
 * connection (the second opened when first used), and its transactions run one after another.
 */
const POSTGRES_THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
const pg = require(workerData.module);
const done = new BigInt64Array(workerData.done);
const lanes = [0, 1].map(() => {
  const client = new pg.Client(workerData.config);
  client.on('error', () => undefined); // a dropped connection surfaces as a failed transaction
  return { client, connected: null, chain: Promise.resolve() };
});
async function run({ statements, rollback, lane }) {
  const l = lanes[lane];
  l.connected ??= l.client.connect();
  await l.connected;
  const client = l.client;
  if (statements.length === 1 && !rollback) {
    await client.query(statements[0].sql, statements[0].params); // one statement is a transaction of its own
    return;
  }
  await client.query('BEGIN');
  try {
    for (const s of statements) await client.query(s.sql, s.params);
    await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
parentPort.on('message', (m) => {
  const l = lanes[m.lane];
  l.chain = l.chain.then(async () => {
    let error = null;
    try {
      await run(m);
    } catch (e) {
      error = { message: e && e.message ? e.message : String(e), code: e && e.code, detail: e && e.detail };
    }
    Atomics.store(done, m.lane, BigInt(m.seq) * 2n + (error ? 0n : 1n));
    parentPort.postMessage({ seq: m.seq, error });
  });
});
`;

/** How often the worker checkpoints the WAL (PASSIVE: it never waits for, nor blocks, the writer). */
const CHECKPOINT_EVERY_MS = 1000;

/**
 * The checkpointing thread: better-sqlite3 on its own connection, `wal_checkpoint(PASSIVE)` every
 * second, so the WAL stays small without a commit ever paying for it. Plain JavaScript evaluated
 * in the worker (no TypeScript loader there); `unref`, so it never keeps the process alive.
 */
function startCheckpointer(file: string): Worker {
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const Sqlite = require(workerData.module);
     const db = new Sqlite(workerData.file, { timeout: 10000 });
     db.pragma('busy_timeout = 10000');
     setInterval(() => {
       try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
     }, workerData.everyMs);`,
    { eval: true, workerData: { file, everyMs: CHECKPOINT_EVERY_MS, module: require.resolve('better-sqlite3') } },
  );
  worker.on('error', () => undefined); // a failed checkpointer leaves the WAL to grow; commits go on
  worker.unref();
  return worker;
}

export function openWriter(databaseUrl: string): Writer {
  return databaseUrl.startsWith('file:') ? new SqliteWriter(sqliteFilePath(databaseUrl)) : new PostgresWriter(databaseUrl);
}
