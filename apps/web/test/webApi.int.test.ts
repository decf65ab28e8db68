/**
 * The web's interfaces against a real farm (database, dispatcher, rqd): the REST API scripts
 * use and the tRPC API the pages use, called through the same handlers Next mounts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFrameLog, getHealth, getJobById, postJob } from '../src/server/rest';
import { handleTrpc } from '../src/server/trpcHandler';
import { startWebFarm, storedCounts, type WebFarm } from './support/farm';

/** The spec from the Foundation issue, which must be accepted as it is. */
const MINIMAL_SPEC = {
  name: 'hello',
  show: 'sandbox',
  shot: 'sh010',
  user: 'alice',
  maxRetries: 1,
  layers: [{ name: 'render', command: 'echo frame #FRAME#', range: '1-5', chunk: 1, cores: 1, memoryMb: 256 }],
};

const post = (body: unknown) =>
  new Request('http://web.test/api/v1/jobs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const trpc = (procedure: string, input: unknown, user = 'wrangler') =>
  new Request(`http://web.test/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-farmhand-user': user },
    body: JSON.stringify(input),
  });

const trpcQuery = (procedure: string, input?: unknown) =>
  new Request(`http://web.test/api/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`);

interface TrpcError {
  error: {
    message: string;
    data: { code: string; httpStatus: number; appCode: string | null; fields: { path: string; message: string }[] };
  };
}

describe.each(testProviders())('the web API on %s', (provider) => {
  let farm: WebFarm;
  beforeAll(async () => {
    farm = await startWebFarm(provider);
  });
  afterAll(async () => {
    await farm?.stop();
  });

  it('accepts the minimal job spec as it is: 201 with the job id, and the job reads back with its layer and frames', async () => {
    const res = await postJob(farm.deps, post(MINIMAL_SPEC));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toEqual(expect.any(String));

    const job = (await (await getJobById(farm.deps, id)).json()) as {
      name: string;
      show: string;
      layers: { name: string; range: string }[];
      frames: { id: number; number: number; state: string }[];
    };
    expect(job).toMatchObject({ name: 'hello', show: 'sandbox', layers: [{ name: 'render', range: '1-5' }] });
    expect(job.frames.map((f) => f.number)).toEqual([1, 2, 3, 4, 5]);
    for (const f of job.frames) expect(f).toEqual(expect.objectContaining({ id: expect.any(Number), state: expect.any(String) }));

    const command = await farm.db.prisma.command.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(command).toMatchObject({ user: 'alice', kind: 'submit_job', targetType: 'show', status: 'APPLIED' });
  });

  const refusals: { name: string; body: unknown; path: string; says: RegExp }[] = [
    {
      name: 'an invalid frame range',
      body: { ...MINIMAL_SPEC, layers: [{ ...MINIMAL_SPEC.layers[0], range: '1-10x0' }] },
      path: 'layers[0].range',
      says: /step after x must be a positive integer/,
    },
    {
      name: 'an empty command',
      body: { ...MINIMAL_SPEC, layers: [{ ...MINIMAL_SPEC.layers[0], command: '  ' }] },
      path: 'layers[0].command',
      says: /required/,
    },
    {
      name: 'an unknown show',
      body: { ...MINIMAL_SPEC, show: 'no_such_show' },
      path: 'show',
      says: /no show named 'no_such_show'.*sandbox/,
    },
    { name: 'a job without layers', body: { ...MINIMAL_SPEC, layers: [] }, path: 'layers', says: /at least one layer/ },
    { name: 'a body that is not JSON', body: '{"name": ', path: '', says: /not valid JSON/ },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name} with 400 naming the field, and stores nothing`, async () => {
      const before = await storedCounts(farm.db);
      const res = await postJob(farm.deps, post(r.body));
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string; fields: { path: string; message: string }[] } };
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toMatch(r.says);
      if (r.path) expect(error.fields).toContainEqual({ path: r.path, message: expect.stringMatching(r.says) });
      expect(await storedCounts(farm.db)).toEqual(before);
    });
  }

  it('answers 404 for a job that does not exist', async () => {
    const res = await getJobById(farm.deps, 'no-such-job');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/no job with id 'no-such-job'/);
  });

  it('tRPC answers bad form input with BAD_REQUEST and the fields at fault', async () => {
    const before = await storedCounts(farm.db);
    const res = await handleTrpc(
      trpc('commands.submit', { ...MINIMAL_SPEC, name: '', layers: [{ ...MINIMAL_SPEC.layers[0], range: '1-x' }] }),
      farm.deps,
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as TrpcError;
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    expect([...new Set(error.data.fields.map((f) => f.path))].sort()).toEqual(['layers[0].range', 'name']);
    expect(error.data.fields.find((f) => f.path === 'layers[0].range')?.message).toMatch(/Frame range '1-x' is not valid at position 3/);
    expect(await storedCounts(farm.db)).toEqual(before);
  });

  it('tRPC refuses a command on a job that does not exist with NOT_FOUND naming jobId, and stores nothing', async () => {
    const before = await storedCounts(farm.db);
    const res = await handleTrpc(trpc('commands.killJob', { jobId: 'ghost' }), farm.deps);
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as TrpcError;
    expect(error.message).toMatch(/jobId: there is no job with id 'ghost'/);
    expect(error.data.fields).toEqual([{ path: 'jobId', message: 'no such job' }]);
    expect(await storedCounts(farm.db)).toEqual(before);
  });

  it('tRPC refuses frames that are not the job’s, naming them', async () => {
    const { id } = (await (await postJob(farm.deps, post({ ...MINIMAL_SPEC, name: 'frames_check' }))).json()) as { id: string };
    const res = await handleTrpc(trpc('commands.retryFrames', { jobId: id, frameIds: [987654] }), farm.deps);
    expect(res.status).toBe(404);
    expect(((await res.json()) as TrpcError).error.message).toMatch(/frame 987654 is not a frame of job/);
  });

  it('records who sent a command, and applies it: pausing a job shows in its read-back', async () => {
    const { id } = (await (await postJob(farm.deps, post({ ...MINIMAL_SPEC, name: 'to_pause' }))).json()) as { id: string };
    const res = await handleTrpc(trpc('commands.pauseJob', { jobId: id }, 'wendy'), farm.deps);
    expect(res.status).toBe(200);
    const answer = ((await res.json()) as { result: { data: { status: string; queued: boolean } } }).result.data;
    expect(answer).toMatchObject({ status: 'APPLIED', queued: false });
    const command = await farm.db.prisma.command.findFirstOrThrow({ where: { kind: 'pause_job', targetId: id } });
    expect(command.user).toBe('wendy');
    const job = (
      (await (await handleTrpc(trpcQuery('jobs.get', { id }), farm.deps)).json()) as { result: { data: { job: { paused: boolean } } } }
    ).result.data.job;
    expect(job.paused).toBe(true);
  });

  it('keeps a submission queued when the dispatcher cannot be reached, and the dispatcher applies it later', async () => {
    const unreachable = { ...farm.deps, dispatcherUrl: 'http://127.0.0.1:9' };
    const res = await postJob(unreachable, post({ ...MINIMAL_SPEC, name: 'queued_job' }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string | null; commandId: number; status: string; message: string };
    expect(body).toMatchObject({ id: null, status: 'PENDING' });
    expect(body.message).toMatch(/queued: the dispatcher is not reachable/);
    // The dispatcher's inbox poll finds the stored command and creates the job.
    const jobId = await farm.waitForJobNamed('queued_job');
    const job = (await (await getJobById(farm.deps, jobId)).json()) as { frames: unknown[] };
    expect(job.frames).toHaveLength(5);
  });

  it('health is degraded when the dispatcher is unreachable, ok when it is active', async () => {
    const down = (await (await getHealth({ ...farm.deps, dispatcherUrl: 'http://127.0.0.1:9' })).json()) as {
      status: string;
      dispatcher: { state: string };
    };
    expect(down).toMatchObject({ status: 'degraded', dispatcher: { state: 'unreachable' } });
    const up = (await (await getHealth(farm.deps)).json()) as { status: string; dispatcher: { state: string }; hostsUp: number };
    expect(up).toMatchObject({ status: 'ok', dispatcher: { state: 'active' }, hostsUp: expect.any(Number) });
  });

  let ranJobId = '';
  it('runs a submitted job on a real host: frames SUCCEEDED, host listed, lock and unlock applied', async () => {
    farm.startRqd('web-test-host');
    const { id } = (await (
      await postJob(
        farm.deps,
        post({ ...MINIMAL_SPEC, name: 'real_run', user: os.userInfo().username, layers: [{ ...MINIMAL_SPEC.layers[0], range: '1-3' }] }),
      )
    ).json()) as { id: string };
    ranJobId = id;
    const done = await farm.waitForJob(id, (j) => j.state === 'SUCCEEDED' || j.state === 'FAILED');
    expect(done.state).toBe('SUCCEEDED');
    expect(done.counts.SUCCEEDED).toBe(3);

    const hosts = (
      (await (await handleTrpc(trpcQuery('hosts.list'), farm.deps)).json()) as {
        result: { data: { id: string; name: string; state: string; lock: string; allocation: string }[] };
      }
    ).result.data;
    const host = hosts.find((h) => h.name === 'web-test-host');
    expect(host).toMatchObject({ state: 'UP', lock: 'OPEN', allocation: 'local.general' });

    for (const [procedure, lock] of [
      ['commands.lockHost', 'LOCKED'],
      ['commands.unlockHost', 'OPEN'],
    ] as const) {
      const res = await handleTrpc(trpc(procedure, { hostId: host!.id }), farm.deps);
      expect(res.status).toBe(200);
      const after = await farm.db.prisma.host.findUniqueOrThrow({ where: { id: host!.id } });
      expect(after.lock).toBe(lock);
    }
  });

  describe('a frame attempt log', () => {
    let frameId = 0;
    let text = '';
    const log = (query: string, headers: Record<string, string> = {}) =>
      getFrameLog(farm.deps, new Request(`http://web.test/api/v1/frames/${frameId}/log${query}`, { headers }), String(frameId));

    beforeAll(async () => {
      const frame = await farm.db.prisma.frame.findFirstOrThrow({ where: { jobId: ranJobId, number: 2 } });
      frameId = frame.id;
      text = await (await log('?attempt=1')).text();
    });

    it('is the text rqd wrote for that attempt', () => {
      expect(text).toContain('frame 2\n');
    });

    const reads: {
      name: string;
      query: string;
      range?: string;
      status: number;
      body: (t: string) => string;
      contentRange?: (t: string) => string;
    }[] = [
      { name: 'the latest attempt when none is named', query: '', status: 200, body: (t) => t },
      {
        name: 'a byte range',
        query: '?attempt=1',
        range: 'bytes=0-9',
        status: 206,
        body: (t) => t.slice(0, 10),
        contentRange: (t) => `bytes 0-9/${t.length}`,
      },
      {
        name: 'the tail',
        query: '?attempt=1',
        range: 'bytes=-12',
        status: 206,
        body: (t) => t.slice(-12),
        contentRange: (t) => `bytes ${t.length - 12}-${t.length - 1}/${t.length}`,
      },
      { name: 'from a byte on', query: '?attempt=1', range: 'bytes=20-', status: 206, body: (t) => t.slice(20) },
      { name: 'everything past an offset', query: '?attempt=1&offset=30', status: 200, body: (t) => t.slice(30) },
      { name: 'nothing past the end, as an empty 200', query: `?attempt=1&offset=999999`, status: 200, body: () => '' },
    ];
    for (const r of reads) {
      it(`reads ${r.name}`, async () => {
        const res = await log(r.query, r.range ? { range: r.range } : {});
        expect(res.status).toBe(r.status);
        expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(await res.text()).toBe(r.body(text));
        if (r.contentRange) expect(res.headers.get('content-range')).toBe(r.contentRange(text));
      });
    }

    it('answers 416 for a range past the end', async () => {
      const res = await log('?attempt=1', { range: `bytes=${text.length + 10}-` });
      expect(res.status).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${text.length}`);
    });

    it('answers 404 naming the attempts there are, for an attempt that does not exist', async () => {
      const res = await log('?attempt=7');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/has no attempt 7: it has attempt 1$/);
    });

    it('refuses a bad attempt number with 400', async () => {
      const res = await log('?attempt=zero');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { fields: { path: string }[] } }).error.fields[0]?.path).toBe('attempt');
    });

    const escapes: { name: string; attempt: number; logPath: () => string }[] = [
      { name: 'a path that climbs out of the log root', attempt: 50, logPath: () => '../../../../etc/passwd' },
      { name: 'an absolute path elsewhere', attempt: 51, logPath: () => '/etc/passwd' },
      {
        name: 'a symlink inside the root that points outside it',
        attempt: 52,
        logPath: () => {
          fs.symlinkSync('/etc/passwd', path.join(farm.logRoot, 'escape.log'));
          return 'escape.log';
        },
      },
    ];
    for (const e of escapes) {
      it(`refuses to serve ${e.name}`, async () => {
        await farm.db.prisma.frameAttempt.create({
          data: { frameId, attempt: e.attempt, hostName: 'elsewhere', startedAt: new Date(), logPath: e.logPath() },
        });
        const res = await log(`?attempt=${e.attempt}`);
        expect(res.status).toBe(403);
        const body = await res.text();
        expect(body).toMatch(/outside the log root/);
        expect(body).not.toContain('root:');
      });
    }
  });
});
