/**
 * The job page's frames read with one SQL statement give exactly what Prisma's model API
 * gives — every field, in the same order — on SQLite and on PostgreSQL.
 */
import { testProviders } from '@farmhand/db/testing';
import { describe, expect, it } from 'vitest';
import { readJobFrames } from '../src/server/services/frameRows';
import { freshDatabasePerTest } from './support/database';
import { aFarm, aJob } from './support/farmRows';

describe.each(testProviders())('a job’s frames read raw on %s', (provider) => {
  const db = freshDatabasePerTest(provider);

  it('every field matches the model API, in the page’s order', async () => {
    const { show, host } = await aFarm(db());
    const job = await aJob(db(), show.id, { name: 'mixed', frames: ['SUCCEEDED', 'DEAD', 'RUNNING', 'WAITING', 'EATEN'] });
    await aJob(db(), show.id, { name: 'other job', frames: ['WAITING'] });
    const [done, dead, running] = job.frames;
    const started = new Date('2026-12-02T03:59:58.123Z');
    await db().prisma.frame.update({
      where: { id: done?.id },
      data: {
        hostId: host.id,
        startedAt: started,
        stoppedAt: new Date('2026-12-02T04:00:41.5Z'),
        exitStatus: 0,
        attempt: 1,
        maxRssMb: 812.5,
        cpuSeconds: 42.25,
      },
    });
    await db().prisma.frame.update({
      where: { id: dead?.id },
      data: { hostId: host.id, exitStatus: 137, retries: 2, attempt: 3, startedAt: started, stoppedAt: started },
    });
    await db().prisma.frame.update({
      where: { id: running?.id },
      data: { hostId: host.id, startedAt: started, attempt: 1, dispatchOrder: -1 },
    });

    const raw = await readJobFrames(db(), job.id);
    const model = await db().prisma.frame.findMany({
      where: { jobId: job.id },
      orderBy: [{ layerId: 'asc' }, { dispatchOrder: 'asc' }, { number: 'asc' }],
      select: {
        id: true,
        jobId: true,
        layerId: true,
        number: true,
        frames: true,
        state: true,
        retries: true,
        attempt: true,
        exitStatus: true,
        hostId: true,
        startedAt: true,
        stoppedAt: true,
        maxRssMb: true,
        cpuSeconds: true,
      },
    });
    expect(raw).toEqual(model);
    // The running frame was moved first by its dispatch order.
    expect(raw.map((f) => f.number)).toEqual([3, 1, 2, 4, 5]);
    expect(raw[1]?.startedAt?.toISOString()).toBe('2026-12-02T03:59:58.123Z');
  });
});
