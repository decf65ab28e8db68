/**
 * The submit page's drop zone through its tRPC procedures on a real farm (dispatcher and an
 * rqd process), SQLite and PostgreSQL: a DAGMan file dropped alone is refused with a problem
 * on each JOB line whose submit file is missing, nothing stored; dropped with its submit files
 * it previews jobs, layers, frame counts and depends; submitting it stores the DAG at once and
 * runs it in order; a show the farm lacks is named before anything is stored.
 */
import os from 'node:os';
import { loadSettings } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authConfigFrom } from '../src/server/auth/config';
import { appRouter } from '../src/server/routers';
import { createCallerFactory, createContext } from '../src/server/trpc';
import { startWebFarm, storedCounts, type WebFarm } from './support/farm';

const callerFor = createCallerFactory(appRouter);
const ME = os.userInfo().username;

const DAG = [
  '# a diamond',
  'JOB pre pre.sub',
  'JOB left work.sub',
  'JOB right work.sub',
  'JOB comp comp.sub',
  'PARENT pre CHILD left right',
  'PARENT left right CHILD comp',
  '',
].join('\n');
const sub = (args: string, queue = 1) => `executable = /bin/echo\narguments = ${args}\nqueue ${queue}\n`;

describe.each(testProviders())('the drop zone on %s', (provider) => {
  let farm: WebFarm;
  const caller = () =>
    callerFor(async () =>
      createContext(new Request('http://127.0.0.1/api/trpc', { headers: { 'x-farmhand-user': ME } }), {
        ...farm.deps,
        auth: authConfigFrom(loadSettings({})),
      }),
    );

  beforeAll(async () => {
    farm = await startWebFarm(provider);
  });
  afterAll(async () => farm?.stop());

  it('names each JOB line whose submit file did not come with the DAG, and stores nothing', async () => {
    const before = await storedCounts(farm.db);
    const preview = await caller().imports.preview({ text: DAG, fileName: 'shot.dag', show: 'sandbox', user: ME });
    expect(preview.ok).toBe(false);
    if (preview.ok) return;
    expect(preview.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(preview.errors[0]?.message).toMatch(/submit file 'pre.sub' could not be read/);
    expect(await storedCounts(farm.db)).toEqual(before);
  });

  it('previews a DAG dropped with its submit files, then submits it whole and runs it in order', async () => {
    farm.startRqd('drop01');
    const others = [
      { name: 'pre.sub', text: sub('preflight') },
      { name: 'work.sub', text: sub('render $(Process)', 3) },
      { name: 'comp.sub', text: sub('comp') },
    ];
    const preview = await caller().imports.preview({ text: DAG, fileName: 'shot.dag', show: 'sandbox', user: ME, others });
    expect(preview.ok, JSON.stringify(preview)).toBe(true);
    if (!preview.ok) return;
    expect(preview.jobs.map((j) => j.name)).toEqual(['pre', 'left', 'right', 'comp']);
    expect(preview.jobs.find((j) => j.name === 'left')?.layers.map((l) => [l.range, l.frames])).toEqual([['0-2', 3]]);
    expect(preview.frames).toBe(1 + 3 + 3 + 1);
    expect(preview.depends.map((d) => `${d.job}<-${d.onJob}`).sort()).toEqual(['comp<-left', 'comp<-right', 'left<-pre', 'right<-pre']);
    expect(preview.jobs.every((j) => j.show === 'sandbox' && j.user === ME)).toBe(true);

    const answer = await caller().imports.submit({ submission: preview.submission });
    expect(answer.status).toBe('APPLIED');
    const ids = answer.jobIds ?? {};
    expect(Object.keys(ids).sort()).toEqual(['comp', 'left', 'pre', 'right']);
    await farm.waitForJob(ids.comp ?? '', (j) => j.state === 'SUCCEEDED', 60_000);
    const jobs = await farm.db.prisma.job.findMany({ where: { id: { in: Object.values(ids) } } });
    const at = (name: string) => jobs.find((j) => j.id === ids[name]);
    // comp started only after both renders stopped.
    expect(at('comp')?.startedAt?.getTime()).toBeGreaterThanOrEqual(
      Math.max(at('left')?.stoppedAt?.getTime() ?? 0, at('right')?.stoppedAt?.getTime() ?? 0),
    );
  }, 90_000);

  it('names a show the farm does not have before anything is stored', async () => {
    const before = await storedCounts(farm.db);
    const spec = JSON.stringify({ name: 'x', show: 'nowhere', user: ME, layers: [{ name: 'a', command: 'true', range: '1' }] });
    const preview = await caller().imports.preview({ text: spec, fileName: 'x.json' });
    expect(preview.ok).toBe(false);
    if (preview.ok) return;
    expect(preview.errors).toEqual([{ file: 'x.json', line: 0, construct: 'jobs[0].show', message: "there is no show named 'nowhere'" }]);
    expect(await storedCounts(farm.db)).toEqual(before);
  });
});
