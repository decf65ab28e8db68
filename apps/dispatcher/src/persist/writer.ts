/**
 * The connection the group commit writes through, beside Prisma (which the dispatcher keeps for
 * reads). SQLite: better-sqlite3's synchronous API — a commit runs start to end without yielding,
 * so the write lock is held for milliseconds, never across other work of the event loop (the web
 * writes command rows to the same file), and each distinct statement is prepared once.
 * PostgreSQL: one dedicated `pg` client, BEGIN … COMMIT.
 */
import { type Provider, postgresConfig, SQLITE_PRAGMAS, sqliteFilePath } from '@farmhand/db';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { Statement } from './sql';

export interface Writer {
  readonly provider: Provider;
  /** Runs the statements in one transaction; with `rollback`, undoes them (a trial run). */
  transaction(statements: readonly Statement[], rollback?: boolean): Promise<void>;
  close(): Promise<void>;
}

const TRIAL = Symbol('trial');

class SqliteWriter implements Writer {
  readonly provider = 'sqlite' as const;
  private readonly db: Sqlite.Database;
  private readonly prepared = new Map<string, Sqlite.Statement>();

  constructor(file: string) {
    this.db = new Sqlite(file, { timeout: 10_000 });
    for (const pragma of SQLITE_PRAGMAS) this.db.pragma(pragma);
    // A larger page cache keeps the frame and attempt indexes in memory between commits.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
  }

  async transaction(statements: readonly Statement[], rollback = false): Promise<void> {
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

export function openWriter(databaseUrl: string): Writer {
  return databaseUrl.startsWith('file:') ? new SqliteWriter(sqliteFilePath(databaseUrl)) : new PostgresWriter(databaseUrl);
}
