/**
 * Writing a new migration for BOTH providers: the difference between what the committed
 * migrations build and what the schema now says, computed by the engine on a throw-away shadow
 * database (in memory for SQLite, a temporary database on the PostgreSQL server).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { postgresConfig } from '../databaseUrl';
import { migrationsDir, PROVIDERS, type Provider } from '../paths';
import { type MigrationAdapter, postgresMigrationAdapter, sqliteMigrationAdapter } from './adapters';
import { NO_FILTERS } from './engine';
import { LOCKFILE_NAME, lockfileContent, migrationNames, nextMigrationName, readMigrationsList } from './migrationsList';
import { readSchema, withSchemaEngine } from './session';

/** Where `create` finds a PostgreSQL server for its shadow database. */
export const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface CreatedMigration {
  provider: Provider;
  /** The folder written, or undefined when the schema matched the migrations already. */
  name: string | undefined;
}

export async function createMigration(name: string, options: { postgresAdminUrl?: string; now?: Date } = {}): Promise<CreatedMigration[]> {
  const existing = PROVIDERS.flatMap((p) => migrationNames(p));
  const folder = nextMigrationName(name, existing, options.now ?? new Date());
  const created: CreatedMigration[] = [];
  for (const provider of PROVIDERS) {
    const adapter = shadowAdapter(provider, options.postgresAdminUrl ?? DEFAULT_POSTGRES_ADMIN_URL);
    const script = await diffScript(provider, adapter);
    if (script === undefined) {
      created.push({ provider, name: undefined });
      continue;
    }
    const dir = migrationsDir(provider);
    mkdirSync(path.join(dir, folder), { recursive: true });
    writeFileSync(path.join(dir, folder, 'migration.sql'), script);
    writeFileSync(path.join(dir, LOCKFILE_NAME), lockfileContent(provider));
    created.push({ provider, name: folder });
  }
  return created;
}

function shadowAdapter(provider: Provider, postgresAdminUrl: string): MigrationAdapter {
  return provider === 'sqlite' ? sqliteMigrationAdapter(':memory:') : postgresMigrationAdapter(postgresConfig(postgresAdminUrl));
}

/** The SQL that takes the committed migrations to the schema, or undefined when there is nothing to do. */
async function diffScript(provider: Provider, adapter: MigrationAdapter): Promise<string | undefined> {
  return withSchemaEngine(provider, adapter, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...readMigrationsList(provider) },
      to: { tag: 'schemaDatamodel', files: [readSchema(provider)] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    // Exit code 2 is the engine's "there are changes", as with `prisma migrate diff --exit-code`.
    return result.exitCode === 2 && result.stdout ? result.stdout : undefined;
  });
}
