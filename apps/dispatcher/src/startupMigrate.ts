/**
 * Migrating at start without stopping the rest of the farm. Prisma's schema engine opens SQLite
 * with `locking_mode=EXCLUSIVE`, which waits (30 s, then fails with a busy error) while any other
 * process — the web, a CLI — has the file open. A restarted dispatcher on an up-to-date SQLite
 * file therefore checks `_prisma_migrations` itself and runs the engine only when a committed
 * migration is missing. PostgreSQL has no such lock: the engine runs every time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Database, migrate } from '@farmhand/db';

const sqliteMigrationsDir = path.resolve(import.meta.dirname, '../../../prisma/sqlite/migrations');

function committedSqliteMigrations(): string[] {
  return fs
    .readdirSync(sqliteMigrationsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function appliedMigrations(database: Database): Promise<Set<string>> {
  try {
    const rows = await database.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return new Set(rows.map((r) => r.migration_name));
  } catch {
    return new Set(); // a fresh file: no migrations table yet
  }
}

/**
 * Brings the database up to the committed migrations. `open` opens the client; on SQLite it is
 * opened first to check, and closed while the engine works if the engine must run.
 */
export async function migrateAtStart(databaseUrl: string, open: () => Database): Promise<{ applied: string[]; database: Database }> {
  if (databaseUrl.startsWith('file:')) {
    const database = open();
    const applied = await appliedMigrations(database);
    if (committedSqliteMigrations().every((name) => applied.has(name))) return { applied: [], database };
    await database.close();
  }
  const { applied } = await migrate(databaseUrl);
  return { applied, database: open() };
}
