/**
 * The REST API under /api/v1 on a real farm: lists with filters and cursor pagination, actions
 * as stored commands, predefined queries, submissions of many jobs, imports, and the OpenAPI
 * document that describes exactly the endpoints the router runs.
 */
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../src/server/api/endpoints';
import { jobSpecJsonSchema, openApiDocument } from '../src/server/api/openapi';
import { handleApiV1 } from '../src/server/api/router';
import { startWebFarm, storedCounts, type WebFarm } from './support/farm';

const job = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  show: 'sandbox',
  shot: 'sh020',
  user: 'pipeline',
  paused: true,
  layers: [{ name: 'render', command: 'echo #FRAME#', range: '1-5', memoryMb: 64 }],
  ...extra,
});

/** The fields the tests read from an answer; each test reads the ones its endpoint has. */
interface Answer {
  items: unknown[];
  nextCursor: string | null;
  jobIds: Record<string, string>;
  error: unknown;
  [key: string]: unknown;
}

describe.each(testProviders())('the REST API v1 on %s', (provider) => {
  let farm: WebFarm;
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await handleApiV1(
      farm.deps,
      new Request(`http://web.test/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-farmhand-user': 'wrangler' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
    return { status: res.status, body: (await res.json()) as Answer };
  };
  let ids: Record<string, string>;

  beforeAll(async () => {
    farm = await startWebFarm(provider);
    const res = await call('POST', '/submissions', {
      jobs: [
        job('pre'),
        job('render', { layers: [{ name: 'beauty', command: 'echo #FRAME#', range: '1-20', memoryMb: 64 }] }),
        job('comp'),
      ],
      depends: [
        { job: 'render', onJob: 'pre' },
        { job: 'comp', onJob: 'render', onLayer: 'beauty' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids = res.body.jobIds;
  });
  afterAll(async () => {
    await farm?.stop();
  });

  it('stores a submission of many jobs at once, with its depends, children waiting in DEPEND', async () => {
    expect(Object.keys(ids).sort()).toEqual(['comp', 'pre', 'render']);
    const depends = await farm.db.prisma.depend.findMany({ where: { dependerJobId: { in: Object.values(ids) } } });
    expect(depends.map((d) => d.type).sort()).toEqual(['JOB_ON_JOB', 'JOB_ON_LAYER']);
    const render = await call('GET', `/frames?jobId=${ids.render}&limit=1000`);
    expect(new Set((render.body.items as { state: string }[]).map((f) => f.state))).toEqual(new Set(['DEPEND']));
  });

  it('refuses a submission naming a show that does not exist, storing nothing', async () => {
    const before = await storedCounts(farm.db);
    const res = await call('POST', '/submissions', { jobs: [job('x', { show: 'nope' })] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'jobs[0].show' }] });
    expect(await storedCounts(farm.db)).toEqual(before);
  });

  it('pages through frames with a cursor, every frame once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Answer } = await call(
        'GET',
        `/frames?jobId=${ids.render}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...(page.body.items as { number: number }[]).map((f) => f.number));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  const jobFilters: { query: string; expected: string[] }[] = [
    { query: 'shot=sh020&user=pipeline', expected: ['comp', 'pre', 'render'] },
    { query: 'name=ren', expected: ['render'] },
    { query: 'state=PENDING,RUNNING&shot=sh020', expected: ['comp', 'pre', 'render'] },
    { query: 'state=KILLED&shot=sh020', expected: [] },
  ];
  it.each(jobFilters)('lists the jobs matching $query', async ({ query, expected }) => {
    const res = await call('GET', `/jobs?${query}`);
    expect((res.body.items as { name: string }[]).map((j) => j.name).sort()).toEqual(expected);
  });

  it('acts through stored commands: pause, resume, priority', async () => {
    expect((await call('POST', `/jobs/${ids.pre}/resume`)).body).toMatchObject({ status: 'APPLIED' });
    expect((await call('POST', `/jobs/${ids.comp}/priority`, { priority: 250 })).body).toMatchObject({ status: 'APPLIED' });
    const comp = await call('GET', `/jobs/${ids.comp}`);
    expect(comp.body).toMatchObject({ priority: 250 });
    const command = await farm.db.prisma.command.findFirstOrThrow({ where: { kind: 'set_priority' } });
    expect(command.user).toBe('wrangler');
  });

  it('answers a bad filter with the parameter at fault, and an unknown endpoint with 404', async () => {
    const bad = await call('GET', '/jobs?state=SLEEPING');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ fields: [{ path: 'state[0]' }] });
    expect((await call('GET', '/nothing')).status).toBe(404);
    expect((await call('GET', `/jobs/${ids.pre}/retry`)).status).toBe(405);
  });

  it('imports an OpenCue spec sent as text (dry run answers the submission only)', async () => {
    const xml = `<spec><show>sandbox</show><user>pipeline</user><job name="cue"><layers><layer name="l"><cmd>echo #IFRAME#</cmd><range>1-3</range></layer></layers></job></spec>`;
    const res = await handleApiV1(
      farm.deps,
      new Request('http://web.test/api/v1/import?fileName=shot.xml&dryRun=1', { method: 'POST', body: xml }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { submission: { jobs: { name: string }[] } }).submission.jobs[0]?.name).toBe('cue');
  });

  it('answers the predefined queries: host utilization, failed frames, core-hours', async () => {
    expect((await call('GET', '/reports/host-utilization')).body).toMatchObject({ totals: { hostsUp: expect.any(Number) } });
    expect(Array.isArray((await call('GET', '/reports/failed-frames?hours=1')).body)).toBe(true);
    expect(Array.isArray((await call('GET', '/reports/core-hours?from=2020-01-01')).body)).toBe(true);
    const shows = await call('GET', '/shows');
    expect((shows.body.items as { name: string }[]).map((s) => s.name)).toContain('sandbox');
  });
});

describe('the OpenAPI document', () => {
  it('describes every endpoint the router runs, with the schemas it validates with', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    for (const e of ENDPOINTS) expect(doc.paths[`/api/v1${e.path}`]?.[e.method.toLowerCase()], `${e.method} ${e.path}`).toBeDefined();
    expect(doc.paths['/api/v1/submissions']?.post?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { jobs: {} } } } },
    });
    expect(jobSpecJsonSchema()).toMatchObject({ properties: { layers: { type: 'array' } }, $defs: { submission: {} } });
  });
});
