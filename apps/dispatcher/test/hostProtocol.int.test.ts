/**
 * What the dispatcher does with what hosts tell it, beyond the ordinary life of a frame:
 * resent and out-of-order events, frames a host stops listing, launches never confirmed,
 * NIMBY hand-backs, stale copies, and bad input — with a scripted host on the real dispatcher
 * and a real database, on SQLite and PostgreSQL.
 */
import { LIVE_EVENTS, LIVE_NAMESPACE, type LogChunk, liveRoom, RQD_EVENTS, RQD_NAMESPACE } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { io } from 'socket.io-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type Farm, spec, TOKEN } from '../src/testing';
import { registeredHost, startFreshFarm } from './freshFarm';
import { ScriptedHost, type ScriptedHostOptions } from './scriptedHost';

describe.each(testProviders())('host protocol on %s', (provider) => {
  let farm: Farm;

  async function start(env: Record<string, string> = {}) {
    farm = await startFreshFarm(
      provider,
      { FARMHAND_HOST_TIMEOUT_S: '60', ...env },
      { timings: { setupTimeoutMs: 1500, lostFrameGraceMs: 800 } },
    );
  }

  const host = (name = 'scripted01', options: ScriptedHostOptions = {}): Promise<ScriptedHost> => registeredHost(farm, name, options);

  const frameOf = (jobId: string) =>
    farm.db.prisma.frame.findFirstOrThrow({ where: { jobId }, include: { attempts: { orderBy: { attempt: 'asc' } } } });

  /** Waits until the frame's row satisfies `done`. */
  const frameWhere = (jobId: string, what: string, done: (f: Awaited<ReturnType<typeof frameOf>>) => boolean) =>
    farm.waitUntil(async () => {
      const f = await frameOf(jobId);
      return done(f) ? f : null;
    }, what);

  /** Waits until `n` frames of the job are SETUP on a host in the database. */
  const frameRowsSetUp = (jobId: string, n: number) =>
    farm.waitUntil(
      async () => (await farm.db.prisma.frame.count({ where: { jobId, state: 'SETUP', hostId: { not: null }, attempt: 1 } })) === n,
      `${n} frames SETUP`,
    );

  it('acknowledges an exit resent with an applied seq and applies it once; refuses an exit of an attempt no longer booked', async () => {
    await start();
    const h = await host();
    const jobId = await farm.submit(spec({ maxRetries: 3 }, { range: '1' }));
    const first = await h.nthLaunch(1);
    expect(await h.started(first, 100)).toEqual({ ok: true });
    expect(await h.exited(first, { exitStatus: 1 }, 101)).toEqual({ ok: true });
    expect(await h.exited(first, { exitStatus: 1 }, 101)).toEqual({ ok: true }); // resent after a lost ack
    const second = await h.nthLaunch(2);
    expect(second.attempt).toBe(2);
    // The same completion again under a new seq: it is about attempt 1, which is over.
    const stale = await h.exited(first, { exitStatus: 1 }, 102);
    expect(stale).toMatchObject({ ok: false, error: expect.stringContaining('attempt 2, not 1') });
    const frame = await frameOf(jobId);
    expect([frame.retries, frame.attempt]).toEqual([1, 2]);
    expect(frame.attempts.map((a) => [a.attempt, a.exitStatus])).toEqual([
      [1, 1],
      [2, null],
    ]);
  });

  it('stores a submission on idle cores already booked, in its own transaction, and launches its frames once that is committed', async () => {
    await start();
    const h = await host('scripted01', { cores: 400, memoryMb: 400 * 1024 });
    const jobId = await farm.submit(spec({}, { range: '1-300' }));
    // The submission is acknowledged once stored, and what it stored is its frames booked on the host.
    const stored = await farm.db.prisma.frame.findMany({ where: { jobId }, include: { proc: true, attempts: true } });
    const { id: hostId } = await farm.db.prisma.host.findUniqueOrThrow({ where: { name: 'scripted01' } });
    expect(stored.map((f) => [f.state, f.hostId, f.proc?.attempt])).toEqual(stored.map(() => ['SETUP', hostId, 1]));
    expect(stored.every((f) => f.attempts.length === 1 && f.attempts[0]?.hostName === 'scripted01')).toBe(true);
    await h.nthLaunch(300);
    expect(new Set(h.launches.map((l) => l.frameId)).size).toBe(300);
    expect(h.launchMessages).toEqual([300]);
  });

  it('leaves the cores a refused submission had booked free for the next one', async () => {
    await start();
    const h = await host('scripted01', { cores: 4, memoryMb: 4 * 1024 });
    // The database refuses this job's row (as a full disk or a broken constraint would).
    if (provider === 'sqlite')
      await farm.db.prisma.$executeRawUnsafe(
        `CREATE TRIGGER refuse_job BEFORE INSERT ON "Job" WHEN NEW.name = 'refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
      );
    else {
      await farm.db.prisma.$executeRawUnsafe(
        `CREATE FUNCTION refuse_job() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = 'refused' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`,
      );
      await farm.db.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_job BEFORE INSERT ON "Job" FOR EACH ROW EXECUTE FUNCTION refuse_job()`);
    }
    await expect(farm.submit(spec({ name: 'refused' }, { range: '1-4' }))).rejects.toThrow(/refused by the test/);
    expect(await farm.db.prisma.frame.count()).toBe(0);
    const jobId = await farm.submit(spec({ name: 'next' }, { range: '1-4' }));
    await h.nthLaunch(4);
    expect(h.launches.map((l) => l.jobId)).toEqual([jobId, jobId, jobId, jobId]);
    expect(await farm.db.prisma.proc.count()).toBe(4);
  });

  it('launches a pass of hundreds of frames only once committed, on SQLite in slices of at most 128 frames', async () => {
    await start();
    // Submitted with no host to book: the host's first pass books all 300.
    const jobId = await farm.submit(spec({}, { range: '1-300' }));
    expect(await farm.db.prisma.frame.count({ where: { jobId, state: 'WAITING' } })).toBe(300);
    const h = await host('scripted01', { cores: 400, memoryMb: 400 * 1024 });
    await h.nthLaunch(300);
    // Every launched frame's booking, its proc and its attempt on this host, was committed
    // before its launch left (on PostgreSQL the frame's own row follows in the next commit).
    const { id: hostId } = await farm.db.prisma.host.findUniqueOrThrow({ where: { name: 'scripted01' } });
    const procs = await farm.db.prisma.proc.findMany({ where: { jobId } });
    expect(procs.filter((p) => p.hostId === hostId && p.attempt === 1)).toHaveLength(300);
    expect(await farm.db.prisma.frameAttempt.count({ where: { frame: { jobId }, attempt: 1, hostName: 'scripted01' } })).toBe(300);
    await frameRowsSetUp(jobId, 300);
    expect(new Set(h.launches.map((l) => l.frameId)).size).toBe(300);
    // SQLite commits within the pass, so the first hosts start after a slice rather than the whole pass.
    expect(h.launchMessages).toEqual(provider === 'sqlite' ? [128, 128, 44] : [300]);
  });

  it('sends a log chunk resent with an applied seq to the log room once', async () => {
    await start();
    const h = await host();
    await farm.submit(spec({}, { range: '1' }));
    const launch = await h.nthLaunch(1);
    const viewer = io(`${farm.dispatcher.url}${LIVE_NAMESPACE}`, { transports: ['websocket'] });
    const seen: LogChunk[] = [];
    viewer.on(LIVE_EVENTS.log, (c: LogChunk) => seen.push(c));
    await new Promise((resolve) => viewer.emit(LIVE_EVENTS.join, { room: liveRoom.log(launch.frameId, launch.attempt) }, resolve));
    try {
      const chunk = (offset: number, data: string) => ({ frameId: launch.frameId, attempt: 1, offset, data });
      await h.started(launch, 10);
      expect(await h.event(RQD_EVENTS.log, chunk(0, 'line one\n'), 11)).toEqual({ ok: true });
      expect(await h.event(RQD_EVENTS.log, chunk(0, 'line one\n'), 11)).toEqual({ ok: true });
      expect(await h.event(RQD_EVENTS.log, chunk(9, 'line two\n'), 12)).toEqual({ ok: true });
      await farm.waitUntil(async () => seen.length >= 2, 'two log chunks');
      await h.exited(launch, {}, 13); // an event after the logs: everything before it was delivered
      expect(seen.map((c) => c.offset)).toEqual([0, 9]);
    } finally {
      viewer.close();
    }
  });

  it('hands a running frame its host stops listing back to WAITING without counting a failure, and kills that attempt', async () => {
    await start();
    const h = await host();
    const jobId = await farm.submit(spec({ maxRetries: 0 }, { range: '1' }));
    const launch = await h.nthLaunch(1);
    await h.started(launch);
    const running = [{ frameId: launch.frameId, attempt: 1, rssMb: 10, maxRssMb: 10, cpuSeconds: 1 }];
    await h.report(running);
    await h.report([]); // the frame vanished, and no completion came
    await frameWhere(jobId, 'the frame to be RUNNING still, within the grace', (f) => f.state === 'RUNNING');
    await new Promise((r) => setTimeout(r, 900)); // past the grace (0.8 s): the only way to let it pass
    await h.report([]);
    const relaunch = await h.nthLaunch(2);
    expect(relaunch).toMatchObject({ frameId: launch.frameId, attempt: 2 });
    expect(await h.nthKill(1)).toMatchObject({ frameId: launch.frameId, attempt: 1 });
    const frame = await frameOf(jobId);
    expect(frame.retries).toBe(0);
    expect(frame.attempts[0]?.reason).toBe('LOST');
  });

  it('applies a completion replayed after the host re-registers without the frame, instead of handing it back', async () => {
    await start();
    const h = await host();
    const jobId = await farm.submit(spec({}, { range: '1' }));
    const launch = await h.nthLaunch(1);
    await h.started(launch);
    // The link dropped while the frame ended: the host registers again without it, then replays its journal.
    expect(await h.register([])).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 900));
    expect(await h.exited(launch, { exitStatus: 0 })).toEqual({ ok: true });
    await h.report([]);
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
    const frame = await frameOf(jobId);
    expect(frame.attempts.map((a) => [a.attempt, a.reason])).toEqual([[1, 'EXITED']]);
    expect(h.launches).toHaveLength(1);
  });

  it('hands a launch whose start is never confirmed back to WAITING after the setup timeout', async () => {
    await start();
    const h = await host();
    const jobId = await farm.submit(spec({ maxRetries: 0 }, { range: '1' }));
    const launch = await h.nthLaunch(1);
    expect(await h.nthKill(1)).toMatchObject({ frameId: launch.frameId, attempt: 1 });
    const again = await h.nthLaunch(2);
    expect(again.attempt).toBe(2);
    const frame = await frameOf(jobId);
    expect(frame.retries).toBe(0);
    expect(frame.attempts[0]?.reason).toBe('SETUP_TIMEOUT');
  });

  it('runs a frame stopped by NIMBY again without counting a failure', async () => {
    await start();
    const h = await host();
    const jobId = await farm.submit(spec({ maxRetries: 0 }, { range: '1' }));
    const launch = await h.nthLaunch(1);
    await h.started(launch);
    expect(await h.exited(launch, { exitStatus: 143, exitSignal: 'SIGTERM', reason: 'NIMBY' })).toEqual({ ok: true });
    const again = await h.nthLaunch(2);
    await h.started(again);
    await h.exited(again, { exitStatus: 0 });
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
    const frame = await frameOf(jobId);
    expect(frame.retries).toBe(0);
    expect(frame.attempts.map((a) => a.reason)).toEqual(['NIMBY', 'EXITED']);
  });

  it("raises a memory-killed frame's layer to at least its peak and runs it again without counting a failure", async () => {
    await start();
    const h = await host('scripted01');
    const jobId = await farm.submit(spec({ maxRetries: 0 }, { range: '1', memoryMb: 64 }));
    const launch = await h.nthLaunch(1);
    await h.started(launch);
    expect(await h.exited(launch, { exitStatus: 137, exitSignal: 'SIGKILL', reason: 'MEMORY_KILL', maxRssMb: 3000 })).toEqual({ ok: true });
    const again = await h.nthLaunch(2);
    expect([again.attempt, again.memoryMb]).toEqual([2, 3000]);
    const frame = await frameOf(jobId);
    expect([frame.state, frame.retries]).toEqual(['SETUP', 0]);
    expect(frame.attempts[0]).toMatchObject({ reason: 'MEMORY_KILL', maxRssMb: 3000 });
    expect((await farm.db.prisma.layer.findFirstOrThrow({ where: { jobId } })).memoryMb).toBe(3000);
  });

  it('tells a host to kill a frame it runs that is booked elsewhere or not at all', async () => {
    await start();
    const a = await host('scripted01');
    const jobId = await farm.submit(spec({}, { range: '1' }));
    const launch = await a.nthLaunch(1);
    await a.started(launch);
    const b = await host('scripted02');
    // scripted02 claims attempt 1 of that frame, and a frame that does not exist.
    await b.report([
      { frameId: launch.frameId, attempt: 1, rssMb: 1, maxRssMb: 1, cpuSeconds: 0 },
      { frameId: 999_999, attempt: 3, rssMb: 1, maxRssMb: 1, cpuSeconds: 0 },
    ]);
    expect([await b.nthKill(1), await b.nthKill(2)]).toEqual([
      expect.objectContaining({ frameId: launch.frameId, attempt: 1 }),
      expect.objectContaining({ frameId: 999_999, attempt: 3 }),
    ]);
    expect(a.kills).toEqual([]);
    expect((await frameOf(jobId)).state).toBe('RUNNING');
  });

  it('refuses malformed messages, events before registering and wrong tokens, and changes nothing', async () => {
    await start();
    const stranger = await ScriptedHost.connect(farm.dispatcher.url, TOKEN, 'stranger');
    onTestFinished(() => stranger.close());
    expect(await stranger.emit(RQD_EVENTS.exited, { frameId: 1, attempt: 1, exitStatus: 0, startedAt: 1, stoppedAt: 2 })).toEqual({
      ok: false,
      error: 'register the host first',
    });
    const h = await host();
    const jobId = await farm.submit(spec({}, { range: '1' }));
    const launch = await h.nthLaunch(1);
    const bad: Array<[string, unknown, string]> = [
      [RQD_EVENTS.started, { frameId: 'one', attempt: 1, pid: 1, startedAt: 1, logPath: 'x' }, 'frameId'],
      [RQD_EVENTS.exited, { frameId: launch.frameId, attempt: 1 }, 'exitStatus'],
      [RQD_EVENTS.exited, { frameId: launch.frameId, attempt: 1, exitStatus: 0, startedAt: 1, stoppedAt: 2, reason: 'BORED' }, 'reason'],
      [RQD_EVENTS.log, { frameId: launch.frameId, attempt: 1, data: 'x' }, 'offset'],
      [RQD_EVENTS.report, { load: -1, freeMemoryMb: 1, running: 'all of them' }, 'running'],
      [RQD_EVENTS.register, { name: '' }, 'name'],
      [RQD_EVENTS.exited, 'not even an object', 'malformed frame:exited'],
    ];
    for (const [event, payload, mentions] of bad) {
      const answer = await h.emit(event, payload);
      expect(answer, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: expect.stringContaining(mentions) });
    }
    expect(await h.exited({ ...launch, frameId: 424_242 })).toMatchObject({ ok: false, error: expect.stringContaining('424242') });
    const frame = await frameOf(jobId);
    expect(frame.state).toBe('SETUP');

    const intruder = io(`${farm.dispatcher.url}${RQD_NAMESPACE}`, {
      auth: { token: 'wrong-token', hostName: 'intruder' },
      transports: ['websocket'],
      reconnection: false,
    });
    const refusal = await new Promise<Error>((resolve) => intruder.once('connect_error', resolve));
    intruder.close();
    expect(refusal.message).toBe('host token missing, wrong or revoked');
    // The dispatcher still works: the frame runs to the end.
    await h.started(launch);
    await h.exited(launch);
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
    expect(await farm.db.prisma.host.count({ where: { name: { in: ['stranger', 'intruder'] } } })).toBe(0);
  });
});
