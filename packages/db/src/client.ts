/**
 * Opening the database named by DATABASE_URL: the embedded SQLite file (shared by several
 * processes: the web reads while the dispatcher writes) or PostgreSQL. Both providers give the
 * same client type, `Db`, so the rest of Farmhand never asks which one it has except to pick a
 * dialect for raw set-based SQL.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { databaseProvider, postgresConfig, sqliteFilePath } from './databaseUrl';
import { PrismaClient as PostgresPrismaClient } from './generated/postgres/client';
import { type Prisma, PrismaClient as SqlitePrismaClient } from './generated/sqlite/client';
import type { Provider } from './paths';

/** The client every package uses, whichever provider is behind it. */
export type Db = SqlitePrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`; repositories take this. */
export type DbTransaction = Prisma.TransactionClient;

/**
 * Raw SQL (`db.prisma.$executeRaw` / `$queryRaw`) is the escape hatch for set-based writes; pick
 * the dialect by `provider`. On SQLite, DateTime columns are ISO-8601 text: pass timestamps as
 * Date parameters rather than relying on a column's DEFAULT CURRENT_TIMESTAMP, whose
 * 'YYYY-MM-DD HH:MM:SS' text sorts wrongly against Prisma's 'YYYY-MM-DDTHH:MM:SS.sssZ' within
 * a day. Integers from `$queryRaw` on SQLite come back as bigint.
 */
export interface Database {
  prisma: Db;
  provider: Provider;
  /** Disconnects and closes the pool or file; the process can then exit on its own. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL pool size (default 10). SQLite always uses one connection per process. */
  maxConnections?: number;
}

/**
 * Per-connection SQLite settings. WAL lets the web read while the dispatcher writes;
 * synchronous=NORMAL is durable across application crashes and loses at most the last commits
 * on power loss, which the dispatcher tolerates; busy_timeout waits for the other process's
 * write instead of failing; a larger auto-checkpoint measured ~15% faster group commits here;
 * foreign_keys makes the schema's ON DELETE CASCADE work (SQLite leaves it off).
 */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'busy_timeout = 10000',
  'wal_autocheckpoint = 4000',
  'foreign_keys = ON',
];

export function openDatabase(databaseUrl: string, options: OpenOptions = {}): Database {
  const provider = databaseProvider(databaseUrl);
  const prisma = provider === 'sqlite' ? openSqlite(databaseUrl) : openPostgres(databaseUrl, options);
  return { prisma, provider, close: () => prisma.$disconnect() };
}

function openSqlite(databaseUrl: string): Db {
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  const inner = new PrismaBetterSqlite3({ url: file, timeout: 10_000 });
  const adapter: SqlDriverAdapterFactory = {
    provider: 'sqlite',
    adapterName: inner.adapterName,
    connect: async () => {
      const connection = await inner.connect();
      await connection.executeScript(SQLITE_PRAGMAS.map((p) => `PRAGMA ${p};`).join('\n'));
      return connection;
    },
  };
  return new SqlitePrismaClient({ adapter });
}

function openPostgres(databaseUrl: string, options: OpenOptions): Db {
  const adapter = new PrismaPg({ ...postgresConfig(databaseUrl), max: options.maxConnections ?? 10 });
  // The two generated clients come from the same models and differ only in the provider they
  // were generated for, so their APIs are the same; TypeScript sees two unrelated classes.
  return new PostgresPrismaClient({ adapter }) as unknown as Db;
}
