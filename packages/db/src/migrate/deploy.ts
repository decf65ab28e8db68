/**
 * Applying migrations at start-up: `migrate(databaseUrl)` brings any database (a fresh SQLite
 * file included) up to the committed migrations of its provider. Safe to call from a
 * long-running process: it never exits and closes what it opens.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { databaseProvider, postgresConfig, sqliteFilePath } from '../databaseUrl';
import { type MigrationAdapter, postgresMigrationAdapter, sqliteMigrationAdapter } from './adapters';
import { NO_FILTERS } from './engine';
import { readMigrationsList } from './migrationsList';
import { withSchemaEngine } from './session';

export interface MigrateResult {
  /** Names of the migrations this call applied, oldest first; empty when already up to date. */
  applied: string[];
}

export interface MigrationStatus {
  /** Committed migrations the database has not applied yet. */
  pending: string[];
  /** Migrations recorded as failed in the database; they need a person's attention. */
  failed: string[];
  /** Applied migrations whose file changed since. */
  edited: string[];
}

export function migrationAdapterFor(databaseUrl: string): MigrationAdapter {
  if (databaseProvider(databaseUrl) === 'postgres') return postgresMigrationAdapter(postgresConfig(databaseUrl));
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  return sqliteMigrationAdapter(file);
}

/** Calls in one process run one after another (the engine's WebAssembly instance is shared). */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Processes migrating one SQLite file take turns: each holds an exclusive lock on a sidecar file
 * (`<db>.migrate-lock`) while its engine runs. Without it two processes starting at once on a
 * fresh file could each hold a read lock the other's write waits on, and one failed after the
 * busy timeout. The operating system drops the lock with the process, so a crash leaves none.
 * PostgreSQL needs none (the same two-process test passes there without it).
 */
async function sqliteTurn<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  if (databaseProvider(databaseUrl) !== 'sqlite') return work();
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  const lock = new BetterSqlite3(`${file}.migrate-lock`, { timeout: 120_000 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
    return await work();
  } finally {
    lock.close();
  }
}

export function migrate(databaseUrl: string): Promise<MigrateResult> {
  return oneAtATime(() => sqliteTurn(databaseUrl, () => applyPending(databaseUrl)));
}

async function applyPending(databaseUrl: string): Promise<MigrateResult> {
  const provider = databaseProvider(databaseUrl);
  return withSchemaEngine(provider, migrationAdapterFor(databaseUrl), async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: readMigrationsList(provider), filters: NO_FILTERS });
    return { applied: result.appliedMigrationNames };
  });
}

export function migrationStatus(databaseUrl: string): Promise<MigrationStatus> {
  return oneAtATime(() => sqliteTurn(databaseUrl, () => diagnose(databaseUrl)));
}

async function diagnose(databaseUrl: string): Promise<MigrationStatus> {
  const provider = databaseProvider(databaseUrl);
  const migrationsList = readMigrationsList(provider);
  return withSchemaEngine(provider, migrationAdapterFor(databaseUrl), async (engine) => {
    try {
      const d = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS });
      const history = d.history;
      const pending =
        history?.diagnostic === 'databaseIsBehind' || history?.diagnostic === 'historiesDiverge' ? history.unappliedMigrationNames : [];
      return { pending, failed: d.failedMigrationNames, edited: d.editedMigrationNames };
    } catch (error) {
      // A fresh SQLite file has no migrations table yet: nothing is applied.
      if (String((error as { message?: unknown })?.message ?? error).includes('_prisma_migrations')) {
        return { pending: migrationsList.migrationDirectories.map((m) => m.path), failed: [], edited: [] };
      }
      throw error;
    }
  });
}
