/**
 * DATABASE_URL → what each driver needs: a file path for SQLite, a pg config object for
 * PostgreSQL (an object, not a URL: with a URL the adapter's shadow connection lands on the
 * main database).
 */
import path from 'node:path';
import { databaseProvider } from '@farmhand/contracts';
import type { PoolConfig } from 'pg';

export { databaseProvider };

/** `file:./data/farmhand.db` or `file:/abs/farmhand.db` → an absolute path (relative to the working directory). */
export function sqliteFilePath(databaseUrl: string): string {
  const withoutScheme = databaseUrl.replace(/^file:(\/\/(?=\/))?/, '');
  const file = withoutScheme.split('?')[0]!;
  if (file === '') throw new Error(`DATABASE_URL '${databaseUrl}' names no file: use file:./data/farmhand.db or an absolute path`);
  return path.resolve(file);
}

export function postgresConfig(databaseUrl: string): PoolConfig {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error(`DATABASE_URL '${databaseUrl}' is not a valid URL: use postgres://user[:password]@host[:port]/database`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '')
    throw new Error(
      `DATABASE_URL '${databaseUrl}' names no database: add it after the host, e.g. postgres://postgres@127.0.0.1:5432/farmhand`,
    );
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database,
  };
}
