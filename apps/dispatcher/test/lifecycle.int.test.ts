/**
 * The frame lifecycle, end to end: the real dispatcher, real rqd processes running real
 * shell commands, a real database — on SQLite and on PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { testProviders } from '@farmhand/db/testing';
import { describe, expect, it } from 'vitest';
import { type Farm, spec } from '../src/testing';
import { startFreshFarm } from './freshFarm';

describe.each(testProviders())('frame lifecycle on %s', (provider) => {
  let farm: Farm;

  async function start(env: Record<string, string> = {}) {
    farm = await startFreshFarm(provider, env);
  }

  it('runs every frame of a job on the host and ends the job SUCCEEDED, with a log per attempt', async () => {
    await start();
    farm.startRqd();
    const jobId = await farm.submit(spec());
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');

    const frames = await farm.db.prisma.frame.findMany({ where: { jobId }, orderBy: { number: 'asc' }, include: { attempts: true } });
    expect(frames.map((f) => [f.number, f.state, f.exitStatus])).toEqual([
      [1, 'SUCCEEDED', 0],
      [2, 'SUCCEEDED', 0],
      [3, 'SUCCEEDED', 0],
    ]);
    const attempt = frames[1]?.attempts[0];
    expect(attempt?.hostName).toBe('render01');
    const log = fs.readFileSync(path.join(farm.logRoot, attempt?.logPath ?? ''), 'utf8');
    expect(log).toContain('frame 2');
    const job = await farm.db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.state).toBe('SUCCEEDED');
    expect(job.stoppedAt).not.toBeNull();
    expect(await farm.db.prisma.proc.count()).toBe(0);
  });

  it('retries a failing frame up to the job max retries, then leaves it DEAD; a retry runs the dead frame again, not the finished one', async () => {
    await start();
    farm.startRqd();
    const command = 'echo frame #FRAME#; test #FRAME# -ne 7 || exit 3';
    const jobId = await farm.submit(spec({ maxRetries: 1 }, { command, range: '7-8' }));
    await farm.waitForJob(jobId, (j) => j.state === 'FAILED');
    const dead = await farm.db.prisma.frame.findFirstOrThrow({ where: { jobId, number: 7 }, include: { attempts: true } });
    expect(dead.state).toBe('DEAD');
    expect(dead.exitStatus).toBe(3);
    expect(dead.attempts.map((a) => a.exitStatus)).toEqual([3, 3]);

    const retry = await farm.command({ kind: 'retry_frames', targetType: 'job', targetId: jobId, args: {} });
    expect(retry).toMatchObject({ status: 'APPLIED', outcome: { retried: 1 } });
    await farm.waitUntil(
      async () => (await farm.db.prisma.frameAttempt.count({ where: { frameId: dead.id, stoppedAt: { not: null } } })) === 4,
      'the retried frame to run twice more',
    );
    await farm.waitForJob(jobId, (j) => j.state === 'FAILED');
    const again = await farm.db.prisma.frame.findUniqueOrThrow({ where: { id: dead.id } });
    expect([again.state, again.retries]).toEqual(['DEAD', 1]);
    const finished = await farm.db.prisma.frame.findFirstOrThrow({ where: { jobId, number: 8 }, include: { attempts: true } });
    expect([finished.state, finished.attempts.length]).toEqual(['SUCCEEDED', 1]);
  });

  it('books layer-on-layer depends in order: comp frames wait until every render frame is done', async () => {
    await start();
    farm.startRqd();
    const jobId = await farm.submit({
      ...spec(),
      layers: [
        { name: 'render', command: 'echo render #FRAME#', range: '1-2', memoryMb: 64 },
        { name: 'comp', command: 'echo comp #FRAME#', range: '1-2', memoryMb: 64, dependsOn: ['render'] },
      ],
    });
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
    const attempts = await farm.db.prisma.frameAttempt.findMany({
      where: { frame: { jobId } },
      include: { frame: { include: { layer: true } } },
    });
    const lastRenderEnd = Math.max(...attempts.filter((a) => a.frame.layer.name === 'render').map((a) => a.stoppedAt?.getTime() ?? 0));
    const firstCompStart = Math.min(...attempts.filter((a) => a.frame.layer.name === 'comp').map((a) => a.startedAt.getTime()));
    expect(firstCompStart).toBeGreaterThanOrEqual(lastRenderEnd);
  });

  it('kills a running job: its process stops, the job is KILLED and nothing more is booked', async () => {
    await start();
    farm.startRqd();
    const jobId = await farm.submit(spec({}, { command: 'sleep 60', range: '1-2' }));
    await farm.waitForJob(jobId, (j) => j.counts.RUNNING === 2);
    const result = await farm.command({ kind: 'kill_job', targetType: 'job', targetId: jobId, args: {} });
    expect(result).toMatchObject({ status: 'APPLIED', outcome: { killed: 2 } });
    await farm.waitUntil(async () => (await farm.db.prisma.proc.count()) === 0, 'the procs to be freed');
    const frames = await farm.db.prisma.frame.findMany({ where: { jobId } });
    expect(frames.every((f) => f.state === 'WAITING' && f.retries === 0)).toBe(true);
    expect((await farm.db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).state).toBe('KILLED');
  });

  it('hands the frames of a host that stops reporting back to WAITING without counting a failure, and reruns them elsewhere', async () => {
    await start({ FARMHAND_HOST_TIMEOUT_S: '4' });
    const first = farm.startRqd('render01');
    const jobId = await farm.submit(spec({}, { command: 'sleep 2; echo done #FRAME#', range: '1' }));
    await farm.waitForJob(jobId, (j) => j.counts.RUNNING === 1);
    first.kill('SIGSTOP'); // the host hangs: no reports, no completions
    try {
      await farm.waitUntil(
        async () => (await farm.db.prisma.host.findFirst({ where: { name: 'render01', state: 'DOWN' } })) ?? null,
        'render01 to go DOWN',
      );
      const frame = await farm.db.prisma.frame.findFirstOrThrow({ where: { jobId } });
      expect(frame.retries).toBe(0);
      farm.startRqd('render02');
      await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
      const attempts = await farm.db.prisma.frameAttempt.findMany({ where: { frameId: frame.id }, orderBy: { attempt: 'asc' } });
      expect(attempts.map((a) => [a.hostName, a.reason])).toEqual([
        ['render01', 'HOST_DOWN'],
        ['render02', 'EXITED'],
      ]);
    } finally {
      first.kill('SIGKILL');
    }
  });

  it('adopts the frames its hosts still run when the dispatcher restarts: each runs once', async () => {
    await start();
    farm.startRqd();
    const jobId = await farm.submit(spec({}, { command: 'sleep 3; echo done #FRAME#', range: '1-2' }));
    await farm.waitForJob(jobId, (j) => j.counts.RUNNING === 2);
    await farm.restartDispatcher();
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
    const attempts = await farm.db.prisma.frameAttempt.findMany({ where: { frame: { jobId } }, orderBy: { frameId: 'asc' } });
    expect(attempts.map((a) => [a.attempt, a.reason, a.exitStatus])).toEqual([
      [1, 'EXITED', 0],
      [1, 'EXITED', 0],
    ]);
  });

  it('adopts a running frame whose row a crash left behind its proc (WAITING, the attempt before): it runs once', async () => {
    await start();
    farm.startRqd();
    const jobId = await farm.submit(spec({}, { command: 'sleep 3; echo done #FRAME#', range: '1' }));
    await farm.waitForJob(jobId, (j) => j.counts.RUNNING === 1);
    // On PostgreSQL a booking's proc and attempt are committed before its frame's row: a crash in
    // between leaves the row as it was before the booking.
    await farm.restartDispatcher(() =>
      farm.db.prisma.frame.updateMany({ where: { jobId }, data: { state: 'WAITING', attempt: 0, hostId: null, startedAt: null } }),
    );
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
    const frame = await farm.db.prisma.frame.findFirstOrThrow({ where: { jobId }, include: { attempts: true } });
    expect([frame.state, frame.attempt, frame.retries]).toEqual(['SUCCEEDED', 1, 0]);
    expect(frame.attempts.map((a) => [a.attempt, a.reason, a.exitStatus])).toEqual([[1, 'EXITED', 0]]);
  });

  it('kills the copy a host that comes back still runs once its frame was given to another host', async () => {
    await start({ FARMHAND_HOST_TIMEOUT_S: '2' });
    const first = farm.startRqd('render01');
    // The first attempt would run long; the second ends at once.
    const command = 'if [ "$FARMHAND_ATTEMPT" = 1 ]; then sleep 30; fi; echo done #FRAME#';
    const jobId = await farm.submit(spec({}, { command, range: '1' }));
    await farm.waitForJob(jobId, (j) => j.counts.RUNNING === 1);
    first.kill('SIGSTOP');
    try {
      await farm.waitUntil(
        async () => farm.db.prisma.host.findFirst({ where: { name: 'render01', state: 'DOWN' } }),
        'render01 to go DOWN',
      );
      farm.startRqd('render02');
      await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
      first.kill('SIGCONT'); // render01 wakes up still running attempt 1
      const frame = await farm.db.prisma.frame.findFirstOrThrow({
        where: { jobId },
        include: { attempts: { orderBy: { attempt: 'asc' } } },
      });
      const staleLog = path.join(farm.logRoot, frame.attempts[0]?.logPath ?? '');
      await farm.waitUntil(
        async () => fs.readFileSync(staleLog, 'utf8').includes('killed by the dispatcher'),
        'the stale copy to be killed',
      );
      const again = await farm.db.prisma.frame.findUniqueOrThrow({
        where: { id: frame.id },
        include: { attempts: { orderBy: { attempt: 'asc' } } },
      });
      expect([again.state, again.retries]).toEqual(['SUCCEEDED', 0]);
      expect(again.attempts.map((a) => [a.hostName, a.reason])).toEqual([
        ['render01', 'HOST_DOWN'],
        ['render02', 'EXITED'],
      ]);
    } finally {
      first.kill('SIGKILL');
    }
  });

  it('refuses a submission to an unknown show with an outcome naming the field, and stores no job', async () => {
    await start();
    const result = await farm.command({ kind: 'submit_job', targetType: 'show', targetId: 'nope', args: spec({ show: 'nope' }) as never });
    expect(result.status).toBe('FAILED');
    expect(result.outcome).toMatchObject({ code: 'NOT_FOUND', fields: [{ path: 'show', message: "show 'nope' does not exist" }] });
    expect(await farm.db.prisma.job.count()).toBe(0);
    const row = await farm.db.prisma.command.findUniqueOrThrow({ where: { id: result.id } });
    expect(row.status).toBe('FAILED');
  });
});
