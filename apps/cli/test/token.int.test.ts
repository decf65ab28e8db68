/**
 * The CLI on a farm that needs sign-in: without a token it says how to get one (exit 4); with
 * `--token` or FARMHAND_TOKEN it works within the token's scopes and its user's roles.
 */
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleApiV1 } from '../../web/src/server/api/router';
import { type AuthFarm, startAuthFarm } from '../../web/test/support/authFarm';
import { farmhand as runFarmhand, type Served, serve } from './stack';

describe.each(testProviders())('the farmhand CLI with sign-in required on %s', (provider) => {
  let farm: AuthFarm;
  let server: Served | undefined;
  let url = '';
  let jobId = '';

  const farmhand = (...args: string[]) => runFarmhand(['--url', url, ...args]);
  const bearer = async (who: string, scopes: ('read' | 'submit' | 'act')[]) =>
    ((await farm.asToken(who, scopes)).authorization ?? '').replace('Bearer ', '');

  beforeAll(async () => {
    farm = await startAuthFarm(provider);
    server = await serve((request) => handleApiV1(farm.deps, request));
    url = server.url;
    const root = await farm.asToken('root');
    const res = await farm.rest(
      'POST',
      '/jobs',
      {
        name: 'cli-token',
        show: 'other',
        shot: 'sh010',
        user: 'bob',
        layers: [{ name: 'r', command: 'echo #FRAME#', range: '1-2', memoryMb: 64 }],
      },
      root,
    );
    jobId = ((await res.json()) as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await farm?.stop();
  });

  it('without a token: exit 4 and a message saying where to get one', async () => {
    const r = await farmhand('jobs');
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/\/account and pass it with --token or FARMHAND_TOKEN/);
  });

  it('with --token: lists jobs; a read-only token cannot kill (exit 4, "Not allowed", the job untouched)', async () => {
    const token = await bearer('wes', ['read']);
    const listed = await farmhand('--token', token, '--json', 'jobs');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain(jobId);
    const kill = await farmhand('--token', token, 'kill', jobId);
    expect(kill.code).toBe(4);
    expect(kill.err).toMatch(/Not allowed: .*scopes \(read\)/);
    expect((await farm.db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).state).not.toBe('KILLED');
  });

  it("FARMHAND_TOKEN works too, and an artist's act token still cannot touch another show's job", async () => {
    process.env.FARMHAND_TOKEN = await bearer('ana', ['read', 'act']);
    try {
      const r = await farmhand('pause', jobId);
      expect(r.code).toBe(4);
      expect(r.err).toMatch(/Not allowed: ana may not act on this job in show 'other'/);
      process.env.FARMHAND_TOKEN = await bearer('wes', ['read', 'act']);
      expect((await farmhand('pause', jobId)).code).toBe(0);
    } finally {
      delete process.env.FARMHAND_TOKEN;
    }
  });

  it('a revoked token gets a clear refusal', async () => {
    const token = await bearer('wes', ['read']);
    await farm.db.prisma.apiToken.updateMany({ where: { revokedAt: null, user: { name: 'wes' } }, data: { revokedAt: new Date() } });
    const r = await farmhand('--token', token, 'jobs');
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/unknown, revoked or expired.*Make a new API token/);
  });
});
