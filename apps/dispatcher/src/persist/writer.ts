/**
 * The connection the group commit writes through, beside Prisma (which the dispatcher keeps for
 * reads). SQLite: better-sqlite3's synchronous API — a commit runs start to end without yielding,
 * so the write lock is held for milliseconds, never across other work of the event loop (the web
 * writes command rows to the same file), and each distinct statement is prepared once.
 * PostgreSQL: one dedicated `pg` client, BEGIN … COMMIT.
 */

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type Provider, postgresConfig, SQLITE_PRAGMAS, sqliteFilePath } from '@farmhand/db';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { Statement } from './sql';

export interface Writer {
  readonly provider: Provider;
  /** Runs the statements in one transaction; with `rollback`, undoes them (a trial run). */
  transaction(statements: readonly Statement[], rollback?: boolean): Promise<void>;
  /** The same, done when it returns; only a writer whose database call is synchronous (SQLite) has it. */
  transactionNow?(statements: readonly Statement[]): void;
  close(): Promise<void>;
}

const TRIAL = Symbol('trial');
const require = createRequire(import.meta.url);

class SqliteWriter implements Writer {
  readonly provider = 'sqlite' as const;
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

class PostgresWriter implements Writer {
  readonly provider = 'postgres' as const;
  private readonly client: pg.Client;
  private connected: Promise<void> | null = null;

  constructor(url: string) {
    this.client = new pg.Client(postgresConfig(url));
    // A dropped connection surfaces as a failed commit; without a listener it would crash the process.
    this.client.on('error', () => undefined);
  }

  async transaction(statements: readonly Statement[], rollback = false): Promise<void> {
    this.connected ??= this.client.connect().then(() => undefined);
    await this.connected;
    if (statements.length === 1 && !rollback) {
      // One statement is a transaction of its own: no BEGIN and COMMIT round trips.
      await this.client.query((statements[0] as Statement).sql, (statements[0] as Statement).params);
      return;
    }
    await this.client.query('BEGIN');
    try {
      for (const s of statements) await this.client.query(s.sql, s.params);
      await this.client.query(rollback ? 'ROLLBACK' : 'COMMIT');
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.client.end().catch(() => undefined);
  }
}

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
