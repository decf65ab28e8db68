/**
 * For the web's read-side tests that need a database and nothing running: each test gets a
 * fresh migrated database (SQLite file, or a PostgreSQL database of its own), opened before it
 * and closed and dropped after it. Call inside `describe.each(testProviders())`.
 */
import { type Database, openDatabase, type Provider } from '@farmhand/db';
import { createTestDatabase, type TestDatabase } from '@farmhand/db/testing';
import { afterEach, beforeEach } from 'vitest';

/** Returns the current test's database (valid inside `it`, not at describe time). */
export function freshDatabasePerTest(provider: Provider): () => Database {
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  beforeEach(async () => {
    test = await createTestDatabase(provider);
    db = openDatabase(test.url);
  });
  afterEach(async () => {
    await db?.close();
    await test?.drop();
    db = undefined;
    test = undefined;
  });
  return () => {
    if (!db) throw new Error('the test database is opened for each test: use it inside it(), not at describe time');
    return db;
  };
}
