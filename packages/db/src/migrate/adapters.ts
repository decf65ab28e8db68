/**
 * Driver adapters for the schema engine, one per provider, with the fixes the engine needs
 * (ENVIRONMENT.md) and a way to close every connection they opened, so `migrate()` can run
 * inside a long-running process without leaving pools behind.
 */
import { randomUUID } from 'node:crypto';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import pg from 'pg';

export interface MigrationAdapter {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Closes every connection the engine opened through `factory`, shadow databases included. */
  close(): Promise<void>;
}

/** Remembers each adapter handed out and disposes it once, whoever asks first. */
class Connections {
  private readonly open = new Set<() => Promise<void>>();

  track<A extends SqlDriverAdapter>(adapter: A, afterDispose?: () => Promise<void>): A {
    const inner = adapter.dispose.bind(adapter);
    let disposing: Promise<void> | undefined;
    const dispose = () => {
      disposing ??= (async () => {
        this.open.delete(dispose);
        await inner();
        await afterDispose?.();
      })();
      return disposing;
    };
    adapter.dispose = dispose;
    this.open.add(dispose);
    return adapter;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((dispose) => dispose()));
  }
}

/**
 * SQLite: the engine applies a migration to the shadow database as one parameterless
 * `executeRaw` holding several statements, which better-sqlite3's `prepare` rejects; send
 * those to `executeScript` instead. The shadow database is in memory.
 */
export function sqliteMigrationAdapter(filePath: string): MigrationAdapter {
  const connections = new Connections();
  const inner = new PrismaBetterSqlite3({ url: filePath, timeout: 30_000 });
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'sqlite',
    adapterName: inner.adapterName,
    connect: async () => connections.track(await inner.connect()),
    connectToShadowDb: async () => {
      const shadow = connections.track(await inner.connectToShadowDb());
      const executeRaw = shadow.executeRaw.bind(shadow);
      shadow.executeRaw = async (query: SqlQuery) => {
        if (query.args.length > 0) return executeRaw(query);
        await shadow.executeScript(query.sql);
        return 0;
      };
      return shadow;
    },
  };
  return { factory, close: () => connections.closeAll() };
}

/**
 * PostgreSQL: the engine's catalogue queries return `"char"` columns (type 18), which the
 * adapter does not map, so report them as text (25). The adapter's own shadow database cannot be
 * dropped while its pool is open ("being accessed by other users") and is left behind, so we
 * create ours and drop it WITH (FORCE) after closing its pool.
 */
export function postgresMigrationAdapter(config: pg.PoolConfig): MigrationAdapter {
  const connections = new Connections();
  const inner = new PrismaPg(config);
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: inner.adapterName,
    connect: async () => connections.track(withCharAsText(await inner.connect())),
    connectToShadowDb: async () => {
      const name = `farmhand_shadow_${randomUUID().replaceAll('-', '')}`;
      await adminQuery(config, `CREATE DATABASE "${name}"`);
      const shadow = await new PrismaPg({ ...config, database: name }).connect();
      return connections.track(withCharAsText(shadow), () => adminQuery(config, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
  return { factory, close: () => connections.closeAll() };
}

/** One statement on a short-lived connection to the server's `postgres` database. */
export async function adminQuery(config: pg.PoolConfig, sql: string): Promise<void> {
  const client = new pg.Client({ ...config, database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

type PgResult = { fields: { dataTypeID: number }[] };
/** The adapter's private `performIO`, which both the adapter and its transactions call. */
type WithPerformIO = { performIO(query: SqlQuery): Promise<PgResult> };

const PG_CHAR = 18;
const PG_TEXT = 25;

function withCharAsText<A extends object>(queryable: A): A {
  // performIO is private in the adapter's types but a plain method at run time; patching the
  // instance is the one place where every query's column types pass through.
  const target = queryable as unknown as WithPerformIO & { startTransaction?: (...args: unknown[]) => Promise<object> };
  const performIO = target.performIO.bind(target);
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
    return result;
  };
  const startTransaction = target.startTransaction?.bind(target);
  if (startTransaction) target.startTransaction = async (...args) => withCharAsText(await startTransaction(...args));
  return queryable;
}
