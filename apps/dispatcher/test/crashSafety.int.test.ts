/**
 * Crash safety: the dispatcher, a process of its own, is killed with SIGKILL at random moments
 * while simulated hosts run short frames, and started again each time. Nothing is lost or run
 * twice: every frame ends SUCCEEDED, and no frame's attempts overlap in its history.
 */
import { createTestDatabase, testProviders } from '@farmhand/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, ProcessFarm, until } from './processFarm';

const FRAMES = 500;
const KILLS = 3;

describe.each(testProviders())('crash safety on %s', (provider) => {
  let farm: ProcessFarm | undefined;
  let dropDb: () => Promise<void> = async () => undefined;

  afterEach(async () => {
    await farm?.stop();
    await dropDb();
  });

  it(`runs ${FRAMES} frames to SUCCEEDED through ${KILLS} kill -9 of the dispatcher, with no frame lost and no overlapping attempts`, async () => {
    const testDb = await createTestDatabase(provider);
    dropDb = testDb.drop;
    farm = new ProcessFarm(testDb.url, { FARMHAND_LOST_FRAME_GRACE_S: '2', FARMHAND_SETUP_TIMEOUT_S: '5', FARMHAND_HOST_TIMEOUT_S: '60' });
    await farm.prepare();
    const port = await freePort();
    let dispatcher = farm.startDispatcher(port);
    await dispatcher.ready();
    // 40 cores for 500 frames of ~0.4 s: about 5 s of work, so that the third kill still comes
    // before the last frame ends (with 80 cores a fast machine had finished them all by then).
    farm.startSimulatedHosts(dispatcher.url, 10, [
      '--cores',
      '4',
      '--sim-runtime',
      '0.4:0.2',
      '--sim-failure-rate',
      '0',
      '--sim-oom-rate',
      '0',
    ]);
    const submitted = await farm.command(dispatcher.url, {
      kind: 'submit_job',
      targetType: 'show',
      targetId: 'sandbox',
      args: {
        name: 'crash',
        show: 'sandbox',
        user: 'alice',
        layers: [{ name: 'render', command: 'render #FRAME#', range: `1-${FRAMES}` }],
      },
    });
    expect(submitted.status).toBe('APPLIED');
    const jobId = String(submitted.outcome?.jobId);
    const succeeded = () => farm?.db.prisma.frame.count({ where: { jobId, state: 'SUCCEEDED' } }) ?? Promise.resolve(0);

    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // A random moment once frames are running again.
      const floor = await succeeded();
      await until(async () => (await succeeded()) > floor, 'frames to finish after the restart');
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 1200));
      killedAt.push(await succeeded());
      await dispatcher.kill9();
      dispatcher = farm.startDispatcher(port);
      await dispatcher.ready();
    }
    expect(
      killedAt.every((n) => n < FRAMES),
      `killed with ${killedAt.join(', ')} frames done`,
    ).toBe(true);

    await until(async () => (await succeeded()) === FRAMES, `all ${FRAMES} frames SUCCEEDED`, 120_000);
    const { prisma } = farm.db;
    await until(async () => (await prisma.job.findUnique({ where: { id: jobId } }))?.state === 'SUCCEEDED', 'the job SUCCEEDED');
    expect(await prisma.frame.count({ where: { jobId } })).toBe(FRAMES);
    expect(await prisma.proc.count()).toBe(0);

    const attempts = await prisma.frameAttempt.findMany({ where: { frame: { jobId } }, orderBy: [{ frameId: 'asc' }, { attempt: 'asc' }] });
    const overlaps: string[] = [];
    for (let i = 1; i < attempts.length; i++) {
      const [a, b] = [attempts[i - 1], attempts[i]];
      if (!a || !b || a.frameId !== b.frameId) continue;
      if (a.stoppedAt === null || a.stoppedAt > b.startedAt)
        overlaps.push(
          `frame ${a.frameId}: attempt ${a.attempt} (${a.reason}, ${a.startedAt.toISOString()}–${a.stoppedAt?.toISOString()}) and ${b.attempt} started ${b.startedAt.toISOString()}`,
        );
    }
    expect(overlaps).toEqual([]);
    const succeededAttempts = attempts.filter((a) => a.reason === 'EXITED' && a.exitStatus === 0);
    expect(new Set(succeededAttempts.map((a) => a.frameId)).size).toBe(FRAMES);
    expect(succeededAttempts.length, 'a frame that succeeded twice ran twice').toBe(FRAMES);
    await dispatcher.stop();
  }, 240_000);
});
