/**
 * Helpers for integration tests of every package: a fresh, migrated database per test suite on
 * each provider, and which providers this machine can run. SQLite always; PostgreSQL when it
 * answers, and in CI (CI=true) it must answer.
 *
 *   describe.each(testProviders())('jobs on %s', (provider) => {
 *     let test: TestDatabase;
 *     beforeAll(async () => { test = await createTestDatabase(provider); });
 *     afterAll(() => test.drop());
 *   });
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postgresConfig } from './databaseUrl';
import { adminQuery } from './migrate/adapters';
import { migrate } from './migrate/deploy';
import type { Provider } from './paths';

/** The server test databases are created on; override with FARMHAND_TEST_POSTGRES_URL. */
export const TEST_POSTGRES_URL = process.env.FARMHAND_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/';

export interface TestDatabase {
  provider: Provider;
  /** A DATABASE_URL for openDatabase() or for a child process's environment. */
  url: string;
  /** Deletes the database (PostgreSQL: even with connections still open). */
  drop(): Promise<void>;
}

/** A fresh database, migrated unless `{ migrated: false }` (for tests of migrating itself). */
export async function createTestDatabase(provider: Provider, options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const test = provider === 'sqlite' ? createSqlite() : await createPostgres();
  if (options.migrated === false) return test;
  try {
    await migrate(test.url);
  } catch (error) {
    await test.drop();
    throw error;
  }
  return test;
}

function createSqlite(): TestDatabase {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'farmhand-test-'));
  return {
    provider: 'sqlite',
    url: `file:${path.join(dir, 'farmhand.db')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function createPostgres(): Promise<TestDatabase> {
  const name = `farmhand_t_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const config = postgresConfig(url.toString());
  await adminQuery(config, `CREATE DATABASE "${name}"`);
  return {
    provider: 'postgres',
    url: url.toString(),
    drop: () => adminQuery(config, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

let providers: Provider[] | undefined;

/**
 * The providers to run database tests on. Synchronous, so it can feed `describe.each` while
 * vitest collects tests: PostgreSQL's reachability is probed by a short child process.
 */
export function testProviders(): Provider[] {
  providers ??= probeProviders();
  return providers;
}

function probeProviders(): Provider[] {
  const server = new URL(TEST_POSTGRES_URL);
  const host = server.hostname || '127.0.0.1';
  const port = Number(server.port || 5432);
  if (postgresAnswers(host, port)) return ['sqlite', 'postgres'];
  const where = `${host}:${port}`;
  if (process.env.CI === 'true') {
    throw new Error(
      `PostgreSQL at ${where} is not reachable, and CI=true requires it: start PostgreSQL or set FARMHAND_TEST_POSTGRES_URL.`,
    );
  }
  // One notice per worker process, not one per test file.
  if (!process.env.FARMHAND_POSTGRES_SKIP_NOTICE) {
    process.env.FARMHAND_POSTGRES_SKIP_NOTICE = '1';
    console.warn(`[farmhand] PostgreSQL at ${where} is not reachable: database tests run on SQLite only (CI=true makes this an error).`);
  }
  return ['sqlite'];
}

const PROBE = `
const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(1000, () => process.exit(1));
socket.on('connect', () => process.exit(0));
socket.on('error', () => process.exit(1));`;

function postgresAnswers(host: string, port: number): boolean {
  try {
    execFileSync(process.execPath, ['-e', PROBE, host, String(port)], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
