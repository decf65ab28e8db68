import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrationStatus, openDatabase } from '../src/index';
import { migrationNames } from '../src/migrate/migrationsList';
import { repoRoot } from '../src/paths';
import { createTestDatabase, type TestDatabase, testProviders } from '../src/testing';

const run = promisify(execFile);

describe.each(testProviders())('migrating a %s database', (provider) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
  });

  it('applies the init migration to a fresh database, then has nothing left to apply', async () => {
    test = await createTestDatabase(provider, { migrated: false });
    const committed = migrationNames(provider);
    expect(committed.at(0)).toMatch(/^\d{14}_init$/);

    expect(await migrationStatus(test.url)).toEqual({ pending: committed, failed: [], edited: [] });
    expect(await migrate(test.url)).toEqual({ applied: committed });
    expect(await migrate(test.url)).toEqual({ applied: [] });
    expect(await migrationStatus(test.url)).toEqual({ pending: [], failed: [], edited: [] });

    const db = openDatabase(test.url);
    try {
      expect(await db.prisma.frame.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('lets a long-running process exit on its own after migrating (no pool or timer left open)', async () => {
    test = await createTestDatabase(provider, { migrated: false });
    const { applied, lingeredMs } = await migrateInChildProcess(test.url);
    expect(applied).toEqual(migrationNames(provider));
    // A pg pool's idle timer or an engine timer left armed would keep the process ~10 s.
    expect(lingeredMs).toBeLessThan(3_000);
  });

  it('applies the migrations once when two processes start on a fresh database at the same moment', async () => {
    test = await createTestDatabase(provider, { migrated: false });
    const url = test.url;
    const results = await Promise.all([migrateInChildProcess(url), migrateInChildProcess(url)]);
    expect(results.flatMap((r) => r.applied)).toEqual(migrationNames(provider));
    expect(await migrationStatus(url)).toEqual({ pending: [], failed: [], edited: [] });
  });
});

describe('migrating a SQLite file', () => {
  it('creates the folder the file lives in', async () => {
    const test = await createTestDatabase('sqlite', { migrated: false });
    try {
      const nested = test.url.replace(/farmhand\.db$/, 'nested/deeper/farmhand.db');
      await migrate(nested);
      expect(existsSync(nested.replace(/^file:/, ''))).toBe(true);
    } finally {
      await test.drop();
    }
  });
});

/** Runs migrate() in a separate process, as an app's start-up does, and reports what it saw. */
async function migrateInChildProcess(databaseUrl: string): Promise<{ applied: string[]; lingeredMs: number }> {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const fixture = path.join(import.meta.dirname, 'fixtures', 'migrateAndExit.ts');
  const { stdout } = await run(tsx, [fixture], { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 90_000 });
  return JSON.parse(stdout);
}
