/**
 * The wrangler's and production's reads against a real database (SQLite, and PostgreSQL when it
 * answers): stuck jobs with the scheduler's reasons, dead frames grouped by the last error line
 * of their logs, silent hosts, subscription usage, shot progress, core-hours, and "why isn't
 * my job running?".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testProviders } from '@farmhand/db/testing';
import { describe, expect, it } from 'vitest';
import { deadFrameGroups, hostProblems, stuckJobs } from '../src/server/services/problems';
import { coreHoursByDay, productionProgress } from '../src/server/services/production';
import { allocationUsage } from '../src/server/services/subscriptions';
import { whyNotRunning } from '../src/server/services/why';
import { freshDatabasePerTest } from './support/database';
import { aFarm, aJob } from './support/farmRows';

describe.each(testProviders())('wrangler and production reads on %s', (provider) => {
  const db = freshDatabasePerTest(provider);

  it('a job needing more memory than any host has is stuck, with the scheduler saying so', async () => {
    const { show } = await aFarm(db(), { hostMemoryMb: 16_384 });
    const big = await aJob(db(), show.id, { name: 'fluid-sim', memoryMb: 512 * 1024, frames: ['WAITING', 'WAITING'] });
    await aJob(db(), show.id, { name: 'fits', frames: ['WAITING'] });
    const stuck = await stuckJobs(db());
    expect(stuck.map((j) => j.name)).toEqual(['fluid-sim']);
    expect(stuck[0]?.reasons[0]).toMatchObject({ code: 'NO_HOST_MATCHES', frames: 2 });
    expect(stuck[0]?.reasons[0]?.reason).toMatch(/512 GB/);

    const why = await whyNotRunning(db(), { jobId: big.id });
    expect(why.lines.map((l) => l.code)).toEqual(['NO_HOST_MATCHES']);
    const fits = await whyNotRunning(db(), {
      frameId: (await db().prisma.frame.findFirstOrThrow({ where: { job: { name: 'fits' } } })).id,
    });
    expect(fits.lines[0]?.code).toBe('WOULD_BOOK');
  });

  it('a job whose frames all finished has nothing to explain', async () => {
    const { show } = await aFarm(db());
    const done = await aJob(db(), show.id, { name: 'done', frames: ['SUCCEEDED'] });
    const why = await whyNotRunning(db(), { jobId: done.id });
    expect(why.lines).toHaveLength(1);
    expect(why.lines[0]?.code).toBe('NOT_READY');
  });

  it('dead frames group by the last error line of their logs, numbers aside', async () => {
    const { show, host } = await aFarm(db());
    const logRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-logs-'));
    const job = await aJob(db(), show.id, { name: 'comp', frames: ['DEAD', 'DEAD', 'DEAD'] });
    const outputs = [
      'loading scene\nTraceback (most recent call last):\nValueError: texture 12 missing\ncleaning up\n',
      'loading scene\nValueError: texture 13 missing\n',
      'rendering\n\u001b[31mSegmentation fault\u001b[0m (core dumped)\n',
    ];
    for (const [i, frame] of job.frames.entries()) {
      const logPath = `comp/frame${i}.1.log`;
      fs.mkdirSync(path.join(logRoot, 'comp'), { recursive: true });
      fs.writeFileSync(path.join(logRoot, logPath), outputs[i] ?? '');
      await db().prisma.frameAttempt.create({
        data: { frameId: frame.id, attempt: 1, hostId: host.id, hostName: host.name, startedAt: new Date(), logPath, exitStatus: 1 },
      });
    }
    const groups = await deadFrameGroups(db(), logRoot);
    expect(groups.map((g) => [g.count, g.key])).toEqual([
      [2, 'ValueError: texture N missing'],
      [1, 'Segmentation fault (core dumped)'],
    ]);
  });

  it('a host that stopped reporting, and one that never did, are problems; a reporting one is not', async () => {
    await aFarm(db(), { lastReportAt: new Date(Date.now() - 10 * 60_000) });
    await db().prisma.host.create({
      data: {
        id: 'h2',
        name: 'render02',
        allocationId: (await db().prisma.allocation.findFirstOrThrow()).id,
        cores: 4,
        memoryMb: 8192,
        lastReportAt: new Date(),
      },
    });
    await db().prisma.host.create({
      data: {
        id: 'h3',
        name: 'render03',
        allocationId: (await db().prisma.allocation.findFirstOrThrow()).id,
        cores: 4,
        memoryMb: 8192,
        state: 'DOWN',
      },
    });
    const problems = await hostProblems(db(), 30);
    expect(problems.map((h) => [h.name, h.problem.split(':')[0]])).toEqual([
      ['render01', 'not reporting'],
      ['render03', 'down'],
    ]);
  });

  it('a show’s cores in use are what its procs hold in the allocation, against size and burst', async () => {
    const { show, host } = await aFarm(db());
    const job = await aJob(db(), show.id, { name: 'lighting', frames: ['RUNNING', 'RUNNING'] });
    for (const frame of job.frames)
      await db().prisma.proc.create({
        data: { id: `p${frame.id}`, hostId: host.id, frameId: frame.id, jobId: job.id, attempt: 1, cores: 2, memoryMb: 1024 },
      });
    const [allocation] = await allocationUsage(db());
    expect(allocation).toMatchObject({ name: 'local.general', cores: 8, coresInUse: 4 });
    expect(allocation?.subscriptions).toEqual([expect.objectContaining({ show: 'falcon', size: 4, burst: 8, coresInUse: 4 })]);
  });

  it('progress rolls up from shots to sequences to shows, and core-hours come per show per day', async () => {
    const { show } = await aFarm(db());
    await aJob(db(), show.id, { name: 'a', shot: 'sq010_sh010', frames: ['SUCCEEDED', 'DEAD'] });
    await aJob(db(), show.id, { name: 'b', shot: 'sq010_sh020', frames: ['SUCCEEDED', 'SUCCEEDED', 'WAITING'] });
    await aJob(db(), show.id, { name: 'c', shot: 'sq020_sh010', frames: ['RUNNING'] });
    await aJob(db(), show.id, { name: 'd', frames: ['WAITING'] });
    const [falcon] = await productionProgress(db());
    expect(falcon?.sequences.map((s) => [s.sequence, s.shots.map((x) => x.shot), s.counts.SUCCEEDED, s.counts.DEAD])).toEqual([
      ['(no shot)', ['(no shot)'], 0, 0],
      ['sq010', ['sq010_sh010', 'sq010_sh020'], 3, 1],
      ['sq020', ['sq020_sh010'], 0, 0],
    ]);
    const today = new Date().toISOString().slice(0, 10);
    await db().prisma.showUsage.create({ data: { showId: show.id, day: today, coreSeconds: 7200, frames: 3 } });
    const usage = await coreHoursByDay(db(), 7);
    expect(usage.days).toHaveLength(7);
    expect(usage.shows).toEqual([{ show: 'falcon', coreHours: [0, 0, 0, 0, 0, 0, 2] }]);
  });
});
