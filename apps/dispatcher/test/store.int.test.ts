/**
 * The group commit's synchronous path: on SQLite `commitNow` commits the marked rows within the
 * caller's turn (a large pass launches slice by slice on it); elsewhere it declines and the flush
 * loop commits. A row that cannot be committed is never half-written, and the store gives up.
 * Real databases, no dispatcher around the store.
 */
import { type Database, ensureLocalFarm, openDatabase, type Provider } from '@farmhand/db';
import { createTestDatabase, type TestDatabase, testProviders } from '@farmhand/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemHost } from '../src/farm/model';
import { Store } from '../src/persist/store';
import { openWriter } from '../src/persist/writer';

/** A fresh database per test, and a store writing to it; what the store gave up on is in `fatal`. */
function storeOn(provider: Provider) {
  const ctx = { test: null as unknown as TestDatabase, db: null as unknown as Database, allocationId: '', fatal: [] as unknown[] };
  beforeEach(async () => {
    ctx.test = await createTestDatabase(provider);
    ctx.db = openDatabase(ctx.test.url);
    ctx.allocationId = (await ensureLocalFarm(ctx.db.prisma)).allocationId;
    ctx.fatal = [];
  });
  afterEach(async () => {
    await ctx.db.close();
    await ctx.test.drop();
  });
  return {
    ctx,
    store: () => new Store(openWriter(ctx.test.url), (e) => ctx.fatal.push(e)),
    host: (name: string, allocation = ctx.allocationId): MemHost =>
      ({
        id: `${name}-id`,
        name,
        allocationId: allocation,
        cores: 16,
        memoryMb: 65_536,
        gpus: 0,
        gpuMemoryMb: 0,
        tags: [],
        state: 'UP',
        lock: 'OPEN',
        lastReportAt: Date.now(),
        details: { physicalCores: 8, swapMb: 0, os: 'linux', load: 0, freeMemoryMb: 60_000, freeTempMb: 1000, bootedAt: null },
      }) as unknown as MemHost,
  };
}

describe.each(testProviders())('the store on %s', (provider) => {
  const { ctx, store, host } = storeOn(provider);

  it('commits marked rows within the caller turn on SQLite; elsewhere leaves them to the flush loop', async () => {
    const s = store();
    s.host(host('render01'));
    const committedNow = s.commitNow();
    expect(committedNow).toBe(provider === 'sqlite');
    if (!committedNow) await s.commit();
    expect(await ctx.db.prisma.host.findUnique({ where: { name: 'render01' } })).toMatchObject({ cores: 16, state: 'UP' });
    await s.close();
    expect(ctx.fatal).toEqual([]);
  });
});

describe('the store on sqlite', () => {
  const { ctx, store, host } = storeOn('sqlite');

  it('keeps rows a refused commitNow took for the flush loop, which gives up on them without writing half of them', async () => {
    const s = store();
    s.host(host('render01'));
    s.host(host('render02', 'no-such-allocation')); // the foreign key refuses the whole commit
    expect(s.commitNow()).toBe(false);
    await expect(s.commit()).rejects.toThrow(/FOREIGN KEY/);
    expect(ctx.fatal).toHaveLength(1);
    expect(await ctx.db.prisma.host.count()).toBe(0);
    await s.close();
  }, 15_000);
});
