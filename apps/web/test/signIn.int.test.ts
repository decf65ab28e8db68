/**
 * Signing in, sessions and tokens with sign-in required: cookie flags, CSRF on state-changing
 * requests, rate limiting, the same answer for a wrong password and an unknown user, expired
 * sessions, revoked and expired API tokens, token scopes — each refusal changing nothing.
 */
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/server/auth/request';
import { handleTrpc } from '../src/server/trpcHandler';
import { type AuthFarm, PASSWORD, startAuthFarm } from './support/authFarm';

const spec = (user: string) => ({
  name: 'signin',
  show: 'sandbox',
  shot: 'sh010',
  user,
  maxRetries: 1,
  layers: [{ name: 'render', command: 'echo #FRAME#', range: '1-2', chunk: 1, cores: 1, memoryMb: 64 }],
});

interface TrpcAnswer<T> {
  result?: { data: T };
  error?: { message: string; data: { httpStatus: number; appCode: string | null } };
}

describe.each(testProviders())('sign-in, sessions and tokens on %s', (provider) => {
  let farm: AuthFarm;
  beforeAll(async () => {
    farm = await startAuthFarm(provider, { failures: 3, windowS: 60 });
  }, 120_000);
  afterAll(async () => {
    await farm?.stop();
  });

  const signIn = (name: string, password: string, url = 'http://web.test', headers: Record<string, string> = {}) =>
    handleTrpc(
      new Request(`${url}/api/trpc/auth.signIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name, password }),
      }),
      farm.deps,
    );

  const cookiesOf = (res: Response) => res.headers.getSetCookie();

  it('a correct sign-in sets an HttpOnly, SameSite=Lax session cookie with an expiry, and a CSRF cookie the page can read', async () => {
    const res = await signIn('ana', PASSWORD);
    expect(res.status).toBe(200);
    const [session, csrf] = cookiesOf(res);
    expect(session).toMatch(new RegExp(`^${SESSION_COOKIE}=fhs_`));
    expect(session).toContain('HttpOnly');
    expect(session).toContain('SameSite=Lax');
    expect(session).toMatch(/Max-Age=3\d{3}/);
    expect(session).not.toContain('Secure');
    expect(csrf).not.toContain('HttpOnly');
    const stored = await farm.db.prisma.session.findMany({ where: { user: { name: 'ana' } } });
    expect(stored.some((s) => session?.includes(s.tokenHash))).toBe(false); // only the hash is stored
  });

  it('over https (or behind a proxy saying so) the cookies are Secure', async () => {
    const direct = await signIn('ana', PASSWORD, 'https://farm.studio');
    expect(cookiesOf(direct).every((c) => c.includes('Secure'))).toBe(true);
    const proxied = await signIn('ana', PASSWORD, 'http://web.test', { 'x-forwarded-proto': 'https' });
    expect(cookiesOf(proxied).every((c) => c.includes('Secure'))).toBe(true);
  });

  it('a wrong password and an unknown user get the same refusal, and no cookie', async () => {
    const wrong = await signIn('wes', 'not the password');
    const unknown = await signIn('nobody-here', 'not the password');
    const a = (await wrong.json()) as TrpcAnswer<unknown>;
    const b = (await unknown.json()) as TrpcAnswer<unknown>;
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(a.error?.message).toBe('Wrong user name or password');
    expect(b.error?.message).toBe(a.error?.message);
    expect(cookiesOf(wrong)).toEqual([]);
  });

  it('after 3 failures a name is locked out for the window, even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('pat', `guess ${i}`)).status).toBe(401);
    const blocked = await signIn('pat', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as TrpcAnswer<unknown>).error?.message).toMatch(/Too many failed sign-ins: try again in \d+ s/);
    expect(cookiesOf(blocked)).toEqual([]);
  });

  it('a mutation with the session cookie but without the CSRF header is refused and changes nothing; with it, it runs', async () => {
    const res = await signIn('ana', PASSWORD);
    const cookies = cookiesOf(res).map((c) => c.split(';')[0]);
    const csrf = decodeURIComponent(cookies[1]?.split('=')[1] ?? '');
    const cookie = cookies.join('; ');
    const submit = (headers: Record<string, string>) => farm.trpc('mutation', 'commands.submit', spec('ana'), { cookie, ...headers });
    const before = await farm.db.prisma.command.count();
    const without = await submit({});
    expect(without.status).toBe(403);
    expect(((await without.json()) as TrpcAnswer<unknown>).error?.message).toContain(CSRF_HEADER);
    const wrong = await submit({ [CSRF_HEADER]: 'forged' });
    expect(wrong.status).toBe(403);
    const foreign = await submit({ [CSRF_HEADER]: csrf, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await farm.db.prisma.command.count()).toBe(before);
    const ok = await submit({ [CSRF_HEADER]: csrf, origin: 'http://web.test' });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await farm.db.prisma.command.count()).toBe(before + 1);
    // Reads need no CSRF header.
    expect((await farm.trpc('query', 'jobs.list', {}, { cookie })).status).toBe(200);
  });

  it('an expired session is refused with a clear message and is removed', async () => {
    const headers = await farm.asSession('wes');
    await farm.db.prisma.session.updateMany({ where: { user: { name: 'wes' } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await farm.trpc('query', 'jobs.list', {}, headers);
    expect(res.status).toBe(401);
    expect(((await res.json()) as TrpcAnswer<unknown>).error?.message).toBe('Your sign-in has ended: sign in again');
    expect(await farm.db.prisma.session.count({ where: { user: { name: 'wes' } } })).toBe(0);
  });

  it('signing out ends the session on the server and clears the cookies', async () => {
    const headers = await farm.asSession('ana');
    const out = await farm.trpc('mutation', 'auth.signOut', {}, headers);
    expect(out.status).toBe(200);
    expect(cookiesOf(out).every((c) => c.includes('Max-Age=0'))).toBe(true);
    expect((await farm.trpc('query', 'jobs.list', {}, headers)).status).toBe(401);
  });

  it('REST answers 401 without a token, and with a revoked or expired one; nothing is stored', async () => {
    const before = await farm.db.prisma.command.count();
    const none = await farm.rest('POST', '/jobs', spec('wes'), {});
    expect(none.status).toBe(401);
    const revoked = await farm.rest('POST', '/jobs', spec('wes'), await farm.asToken('wes', ['submit'], { revokedAt: new Date() }));
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: { message: string } }).error.message).toMatch(/unknown, revoked or expired/);
    const expired = await farm.rest(
      'POST',
      '/jobs',
      spec('wes'),
      await farm.asToken('wes', ['submit'], { expiresAt: new Date(Date.now() - 1) }),
    );
    expect(expired.status).toBe(401);
    expect(await farm.db.prisma.command.count()).toBe(before);
    expect((await farm.rest('GET', '/jobs', undefined, {})).status).toBe(401);
  });

  it('a token does what its scopes allow and no more, and cannot mint tokens', async () => {
    const read = await farm.asToken('wes', ['read']);
    expect((await farm.rest('GET', '/jobs', undefined, read)).status).toBe(200);
    const job = await farm.db.prisma.job.findFirstOrThrow({ select: { id: true, paused: true } });
    const refused = await farm.rest('POST', `/jobs/${job.id}/pause`, {}, read);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/scopes \(read\)/);
    expect((await farm.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).paused).toBe(job.paused);
    const all = await farm.asToken('root', ['read', 'submit', 'act']);
    expect((await farm.trpc('mutation', 'auth.createToken', { name: 'x', scopes: ['act'] }, all)).status).toBe(403);
  });

  it('a token made on the account page is shown once, works, and stops working once revoked', async () => {
    const session = await farm.asSession('ana');
    const made = (await (
      await farm.trpc('mutation', 'auth.createToken', { name: 'cli', scopes: ['read', 'submit'] }, session)
    ).json()) as TrpcAnswer<{
      id: string;
      token: string;
    }>;
    const token = made.result?.data.token ?? '';
    expect(token).toMatch(/^fh_/);
    const list = (await (await farm.trpc('query', 'auth.tokens', undefined, session)).json()) as TrpcAnswer<Record<string, unknown>[]>;
    expect(JSON.stringify(list)).not.toContain(token);
    expect((await farm.rest('POST', '/jobs', spec('ana'), { authorization: `Bearer ${token}` })).status).toBe(201);
    await farm.trpc('mutation', 'auth.revokeToken', { tokenId: made.result?.data.id }, session);
    expect((await farm.rest('GET', '/jobs', undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('the audit trail records who signed in: a wrangler submitting a job as bob is recorded as wes', async () => {
    const res = await farm.rest('POST', '/jobs', { ...spec('bob'), name: 'as-bob' }, await farm.asToken('wes', ['submit']));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect((await farm.db.prisma.job.findUniqueOrThrow({ where: { id } })).user).toBe('bob');
    const command = await farm.db.prisma.command.findFirstOrThrow({ where: { kind: 'submit_job' }, orderBy: { id: 'desc' } });
    expect(command.user).toBe('wes');
  });

  it('a disabled account cannot sign in (same refusal) and its tokens stop working', async () => {
    const token = await farm.asToken('victim', ['read']);
    expect((await farm.rest('GET', '/hosts', undefined, token)).status).toBe(200);
    await farm.db.prisma.user.update({ where: { name: 'victim' }, data: { disabled: true } });
    expect((await farm.rest('GET', '/hosts', undefined, token)).status).toBe(401);
    const res = await signIn('victim', PASSWORD);
    expect(res.status).toBe(401);
    expect(((await res.json()) as TrpcAnswer<unknown>).error?.message).toBe('Wrong user name or password');
  });
});
