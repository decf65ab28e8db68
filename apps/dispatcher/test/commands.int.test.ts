/**
 * Commands as people and scripts send them (a row in the inbox, then apply): each takes effect
 * as asked, or fails with an outcome that says why, recorded on its row; two people's
 * conflicting commands on one job take effect one after the other and leave a consistent farm.
 * A scripted host shows what gets launched; on SQLite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import type { CommandInput, CommandResult, JobDelta } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { describe, expect, it } from 'vitest';
import { type Farm, spec } from '../src/testing';
import { registeredHost, startFreshFarm } from './freshFarm';
import type { ScriptedHost } from './scriptedHost';

describe.each(testProviders())('commands on %s', (provider) => {
  let farm: Farm;

  async function start() {
    farm = await startFreshFarm(provider);
  }

  const host = (name = 'scripted01', cores = 4): Promise<ScriptedHost> => registeredHost(farm, name, { cores, memoryMb: 16_384 });

  const applied = async (cmd: CommandInput, user?: string) => {
    const result = await farm.command(cmd, user);
    expect(result, JSON.stringify(cmd)).toMatchObject({ status: 'APPLIED' });
    return result;
  };
  const layerOf = async (jobId: string) => farm.db.prisma.layer.findFirstOrThrow({ where: { jobId } });
  /** The state the database has for the frames, after the next command (so any booking it triggered is committed). */
  const statesAfterACommand = async (jobId: string) => {
    await applied({ kind: 'set_priority', targetType: 'job', targetId: jobId, args: { priority: 100 } });
    return (await farm.db.prisma.frame.findMany({ where: { jobId }, orderBy: { number: 'asc' } })).map((f) => f.state);
  };

  it("books a layer's frames with the cores and memory an edit gave it", async () => {
    await start();
    const h = await host('scripted01', 8);
    const jobId = await farm.submit(spec({ paused: true }, { range: '1-2', cores: 1, memoryMb: 64 }));
    const layer = await layerOf(jobId);
    const edit = await applied({ kind: 'edit_layer', targetType: 'layer', targetId: layer.id, args: { minCores: 2, memoryMb: 512 } });
    expect(edit.outcome).toMatchObject({ minCores: 2, memoryMb: 512 });
    await applied({ kind: 'resume_job', targetType: 'job', targetId: jobId, args: {} });
    const launches = [await h.nthLaunch(1), await h.nthLaunch(2)];
    expect(launches.map((l) => [l.cores, l.memoryMb])).toEqual([
      [2, 512],
      [2, 512],
    ]);
    expect(await layerOf(jobId)).toMatchObject({ minCores: 2, memoryMb: 512 });
  });

  it("moves a host to another allocation: it runs a show's frames only once the show subscribes there", async () => {
    await start();
    const general = await farm.db.prisma.allocation.findFirstOrThrow();
    await farm.db.prisma.allocation.create({
      data: { id: randomUUID(), name: 'local.render', tag: 'general', facilityId: general.facilityId },
    });
    await farm.restartDispatcher(); // allocations are loaded at start
    const h = await host();
    await applied({ kind: 'move_host', targetType: 'host', targetId: 'scripted01', args: { allocation: 'local.render' } });
    expect(
      (await farm.db.prisma.host.findUniqueOrThrow({ where: { name: 'scripted01' }, include: { allocation: true } })).allocation.name,
    ).toBe('local.render');
    const jobId = await farm.submit(spec({}, { range: '1' }));
    expect(await statesAfterACommand(jobId)).toEqual(['WAITING']);
    await applied({
      kind: 'set_subscription',
      targetType: 'show',
      targetId: 'sandbox',
      args: { allocation: 'local.render', size: 0, burst: 10 },
    });
    expect((await h.nthLaunch(1)).jobId).toBe(jobId);
  });

  it("keeps a show within its subscription's burst, and books more once the burst is raised", async () => {
    await start();
    const h = await host('scripted01', 8);
    await applied({
      kind: 'set_subscription',
      targetType: 'show',
      targetId: 'sandbox',
      args: { allocation: 'local.general', size: 0, burst: 1 },
    });
    const jobId = await farm.submit(spec({}, { range: '1-3' }));
    await h.nthLaunch(1);
    expect(await statesAfterACommand(jobId)).toEqual(['SETUP', 'WAITING', 'WAITING']);
    await applied({
      kind: 'set_subscription',
      targetType: 'show',
      targetId: 'sandbox',
      args: { allocation: 'local.general', size: 0, burst: 3 },
    });
    await h.nthLaunch(3);
    const sub = await farm.db.prisma.subscription.findFirstOrThrow({ where: { allocation: { name: 'local.general' } } });
    expect([sub.size, sub.burst]).toEqual([0, 3]);
  });

  it("runs at most a limit's max of the frames naming it, and more once the limit is raised", async () => {
    await start();
    const h = await host('scripted01', 8);
    const created = await applied({ kind: 'create_limit', targetType: 'limit', targetId: 'nuke', args: { max: 1 } });
    expect(created.outcome).toMatchObject({ name: 'nuke', max: 1 });
    const jobId = await farm.submit(spec({}, { range: '1-3', limits: ['nuke'] }));
    await h.nthLaunch(1);
    expect(await statesAfterACommand(jobId)).toEqual(['SETUP', 'WAITING', 'WAITING']);
    await applied({ kind: 'edit_limit', targetType: 'limit', targetId: 'nuke', args: { max: 3 } });
    await h.nthLaunch(3);
    expect((await farm.db.prisma.limit.findUniqueOrThrow({ where: { name: 'nuke' } })).max).toBe(3);
  });

  it('fails commands on what does not exist, or in a state that does not allow them, with an outcome saying why', async () => {
    await start();
    const h = await host();
    const running = await farm.submit(spec({ name: 'running' }, { range: '1-2' }));
    const launch = await h.nthLaunch(1);
    await h.nthLaunch(2);
    await h.started(launch);
    const [first] = await farm.db.prisma.frame.findMany({ where: { jobId: running }, orderBy: { number: 'asc' } });
    const killed = await farm.submit(spec({ name: 'killed', paused: true }, { range: '1' }));
    await applied({ kind: 'kill_job', targetType: 'job', targetId: killed, args: {} });
    await applied({ kind: 'create_limit', targetType: 'limit', targetId: 'maya', args: { max: 2 } });

    const cases: Array<[string, CommandInput, string, string]> = [
      [
        'an unknown layer',
        { kind: 'edit_layer', targetType: 'layer', targetId: 'nope', args: { memoryMb: 10 } },
        'NOT_FOUND',
        "layer 'nope' does not exist",
      ],
      [
        'an edit that changes nothing',
        { kind: 'edit_layer', targetType: 'layer', targetId: 'nope', args: {} },
        'VALIDATION',
        'give minCores, maxCores or memoryMb',
      ],
      [
        'an unknown host',
        { kind: 'move_host', targetType: 'host', targetId: 'nohost', args: { allocation: 'local.general' } },
        'NOT_FOUND',
        "host 'nohost' does not exist",
      ],
      [
        'an unknown allocation',
        { kind: 'move_host', targetType: 'host', targetId: 'scripted01', args: { allocation: 'mars' } },
        'NOT_FOUND',
        "allocation 'mars' does not exist; known allocations: local.general",
      ],
      [
        'an unknown show',
        { kind: 'set_subscription', targetType: 'show', targetId: 'noshow', args: { allocation: 'local.general', size: 1, burst: 2 } },
        'NOT_FOUND',
        "show 'noshow' does not exist",
      ],
      [
        'a burst below the size',
        { kind: 'set_subscription', targetType: 'show', targetId: 'sandbox', args: { allocation: 'local.general', size: 5, burst: 2 } },
        'VALIDATION',
        'args.burst: must be at least size',
      ],
      [
        'a limit that exists',
        { kind: 'create_limit', targetType: 'limit', targetId: 'maya', args: { max: 1 } },
        'CONFLICT',
        "limit 'maya' already exists",
      ],
      [
        'an unknown limit',
        { kind: 'edit_limit', targetType: 'limit', targetId: 'houdini', args: { max: 1 } },
        'NOT_FOUND',
        "limit 'houdini' does not exist",
      ],
      [
        'a retry of a running frame',
        { kind: 'retry_frames', targetType: 'job', targetId: running, args: { frameIds: [first?.id ?? 0] } },
        'CONFLICT',
        'cannot be retried: only DEAD, SUCCEEDED, EATEN frames can; nothing was changed',
      ],
      [
        'a frame of another job',
        { kind: 'eat_frames', targetType: 'job', targetId: killed, args: { frameIds: [first?.id ?? 0] } },
        'CONFLICT',
        "job 'killed' was killed",
      ],
      [
        'a command on a killed job',
        { kind: 'pause_job', targetType: 'job', targetId: killed, args: {} },
        'CONFLICT',
        "job 'killed' was killed and can no longer be changed",
      ],
      ['an unknown job', { kind: 'pause_job', targetType: 'job', targetId: 'nojob', args: {} }, 'NOT_FOUND', "job 'nojob' does not exist"],
      [
        'a priority out of range',
        { kind: 'set_priority', targetType: 'job', targetId: running, args: { priority: -1 } },
        'VALIDATION',
        'args.priority',
      ],
    ];
    for (const [what, cmd, code, message] of cases) {
      const result = await farm.command(cmd);
      expect(result, what).toMatchObject({ status: 'FAILED', outcome: { code, message: expect.stringContaining(message) } });
      const row = await farm.db.prisma.command.findUniqueOrThrow({ where: { id: result.id } });
      expect([row.status, JSON.parse(row.outcome ?? '{}').code], what).toEqual(['FAILED', code]);
    }
    const frames = await farm.db.prisma.frame.findMany({ where: { jobId: running }, orderBy: { number: 'asc' } });
    expect(frames.map((f) => f.state)).toEqual(['RUNNING', 'SETUP']);
  });

  it("applies two users' conflicting commands on one job one after the other, leaving job, frames and the audit log consistent", async () => {
    await start();
    const h = await host('scripted01', 8);
    const jobId = await farm.submit(spec({ maxRetries: 0 }, { range: '1-4' }));
    const launches = await Promise.all([1, 2, 3, 4].map((n) => h.nthLaunch(n)));
    for (const l of launches) await h.started(l);
    // Frames 1 and 2 fail for good; 3 and 4 keep running.
    for (const l of launches.slice(0, 2)) await h.exited(l, { exitStatus: 1 });
    await farm.waitForJob(jobId, (j) => j.counts.DEAD === 2);
    const ids = launches.map((l) => l.frameId);

    const both: Array<[string, CommandInput]> = [
      ['alice', { kind: 'retry_frames', targetType: 'job', targetId: jobId, args: { frameIds: [ids[0] as number, ids[1] as number] } }],
      ['bob', { kind: 'eat_frames', targetType: 'job', targetId: jobId, args: { frameIds: [ids[0] as number, ids[1] as number] } }],
      ['alice', { kind: 'set_priority', targetType: 'job', targetId: jobId, args: { priority: 900 } }],
      ['bob', { kind: 'set_priority', targetType: 'job', targetId: jobId, args: { priority: 5 } }],
      ['alice', { kind: 'pause_job', targetType: 'job', targetId: jobId, args: {} }],
      ['bob', { kind: 'kill_job', targetType: 'job', targetId: jobId, args: {} }],
      ['alice', { kind: 'resume_job', targetType: 'job', targetId: jobId, args: {} }],
    ];
    const results: CommandResult[] = await Promise.all(both.map(([user, cmd]) => farm.command(cmd, user)));
    // The dispatcher applies them one at a time in the order stored: the audit log's order.
    const rows = await farm.db.prisma.command.findMany({
      where: { id: { in: results.map((r) => r.id) } },
      orderBy: [{ appliedAt: 'asc' }, { id: 'asc' }],
    });
    expect(rows.every((r) => r.status !== 'PENDING')).toBe(true);
    const killAt = rows.findIndex((r) => r.kind === 'kill_job');
    rows.forEach((r, i) => {
      const outcome = JSON.parse(r.outcome ?? '{}');
      if (i <= killAt) expect([r.kind, r.status], JSON.stringify(outcome)).toEqual([r.kind, 'APPLIED']);
      else expect([r.kind, r.status, outcome.code]).toEqual([r.kind, 'FAILED', 'CONFLICT']);
    });
    // Whatever came last before the kill decided each thing.
    const before = rows.slice(0, killAt + 1);
    const lastOf = (...kinds: string[]) => [...before].reverse().find((r) => kinds.includes(r.kind));
    const job = await farm.db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.state).toBe('KILLED');
    expect(job.priority).toBe(JSON.parse(lastOf('set_priority')?.args ?? '{}').priority ?? 100);
    expect(job.paused).toBe(lastOf('pause_job', 'resume_job')?.kind === 'pause_job');
    // The killed job's frames stop: kills went to the host for whatever ran, and their ends leave them WAITING.
    for (const l of h.launches.slice(2)) await h.exited(l, { exitStatus: 143, reason: 'KILLED' });
    await farm.waitUntil(async () => (await farm.db.prisma.proc.count()) === 0, 'the procs to be freed');
    const frames = await farm.db.prisma.frame.findMany({ where: { jobId }, orderBy: { number: 'asc' } });
    const eatenLast = lastOf('retry_frames', 'eat_frames')?.kind === 'eat_frames';
    expect(frames.map((f) => f.state)).toEqual(
      eatenLast ? ['EATEN', 'EATEN', 'WAITING', 'WAITING'] : ['WAITING', 'WAITING', 'WAITING', 'WAITING'],
    );
    const counts: Record<string, number> = {};
    for (const f of frames) counts[f.state] = (counts[f.state] ?? 0) + 1;
    const last = await farm.waitForJob(jobId, (j: JobDelta) => j.counts.RUNNING === 0 && j.counts.SETUP === 0);
    expect(Object.fromEntries(Object.entries(last.counts).filter(([, n]) => n > 0))).toEqual(counts);
  });
});
