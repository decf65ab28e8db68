import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, ensureLocalFarm, FrameState, openDatabase, SANDBOX_SUBSCRIPTION } from '../src/index';
import { createTestDatabase, type TestDatabase, testProviders } from '../src/testing';
import { aJob } from './builders';

describe.each(testProviders())('the %s database', (provider) => {
  let test: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    db = openDatabase(test.url);
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  it('reports which provider it is', () => {
    expect(db.provider).toBe(provider);
  });

  it('seeds the local farm once, however often the seed runs', async () => {
    const first = await ensureLocalFarm(db.prisma);
    const second = await ensureLocalFarm(db.prisma);
    expect(second).toEqual(first);
    expect(await db.prisma.facility.findMany({ select: { name: true } })).toEqual([{ name: 'local' }]);
    expect(await db.prisma.allocation.findMany({ select: { name: true, tag: true } })).toEqual([{ name: 'local.general', tag: 'general' }]);
    const subscriptions = await db.prisma.subscription.findMany({ include: { show: true, allocation: true } });
    expect(subscriptions.map((s) => [s.show.name, s.allocation.name, s.size, s.burst])).toEqual([
      ['sandbox', 'local.general', SANDBOX_SUBSCRIPTION.size, SANDBOX_SUBSCRIPTION.burst],
    ]);
  });

  it('keeps a subscription size someone edited when the seed runs again', async () => {
    const farm = await ensureLocalFarm(db.prisma);
    await db.prisma.subscription.update({ where: { id: farm.subscriptionId }, data: { size: 7 } });
    await ensureLocalFarm(db.prisma);
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { id: farm.subscriptionId } })).size).toBe(7);
  });

  it('stores a job with its layers and frames and reads them back as written', async () => {
    const { showId } = await ensureLocalFarm(db.prisma);
    const job = aJob(showId, {
      layers: [
        { name: 'render', frames: 10 },
        { name: 'comp', frames: 3 },
      ],
    });
    await db.prisma.job.create({ data: job });

    const read = await db.prisma.job.findUniqueOrThrow({
      where: { id: job.id },
      include: { layers: { orderBy: { index: 'asc' }, include: { frames: { orderBy: { number: 'asc' } } } } },
    });
    expect(read.name).toBe(job.name);
    expect(read.submittedAt).toBeInstanceOf(Date);
    expect(read.layers.map((l) => [l.name, l.frames.length])).toEqual([
      ['render', 10],
      ['comp', 3],
    ]);
    const frame = read.layers[0]!.frames[4]!;
    expect(frame).toMatchObject({ number: 5, frames: '5', state: FrameState.WAITING, retries: 0, jobId: job.id });
    expect(JSON.parse(read.spec)).toEqual({ submittedBy: 'test' });
  });

  it('writes nothing from a transaction that fails half-way', async () => {
    const { showId } = await ensureLocalFarm(db.prisma);
    const job = aJob(showId, { layers: [{ name: 'render', frames: 5 }] });
    const before = await db.prisma.frame.count();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.job.create({ data: job });
        await tx.frame.updateMany({ where: { jobId: job.id }, data: { state: FrameState.RUNNING } });
        // The same layer name twice in one job breaks the unique (jobId, name).
        await tx.layer.create({ data: { id: crypto.randomUUID(), jobId: job.id, name: 'render', command: 'true', range: '1' } });
      }),
    ).rejects.toThrow(/Unique constraint/i);
    expect(await db.prisma.job.findUnique({ where: { id: job.id } })).toBeNull();
    expect(await db.prisma.frame.count()).toBe(before);
  });

  it('deletes a job’s layers and frames with the job', async () => {
    const { showId } = await ensureLocalFarm(db.prisma);
    const job = aJob(showId, { layers: [{ name: 'render', frames: 4 }] });
    await db.prisma.job.create({ data: job });
    await db.prisma.job.delete({ where: { id: job.id } });
    expect(await db.prisma.layer.count({ where: { jobId: job.id } })).toBe(0);
    expect(await db.prisma.frame.count({ where: { jobId: job.id } })).toBe(0);
  });

  it('runs raw set-based writes through the same client', async () => {
    const { showId } = await ensureLocalFarm(db.prisma);
    const job = aJob(showId, { layers: [{ name: 'render', frames: 6 }] });
    await db.prisma.job.create({ data: job });
    const changed = await db.prisma.$executeRaw`UPDATE "Frame" SET "state" = 'EATEN' WHERE "jobId" = ${job.id} AND "number" <= ${3}`;
    expect(changed).toBe(3);
    const eaten = await db.prisma.frame.count({ where: { jobId: job.id, state: FrameState.EATEN } });
    expect(eaten).toBe(3);
  });
});
