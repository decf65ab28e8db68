/**
 * LDAP sign-in against a real slapd started by the test: a directory user signs in with their
 * directory password, gets an account (source ldap) and the rights their groups give; a wrong
 * password or an unknown name gets the same refusal as built-in accounts; group changes apply
 * at the next sign-in.
 */
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupsToRights } from '../src/server/auth/ldap';
import { handleTrpc } from '../src/server/trpcHandler';
import { type AuthFarm, startAuthFarm } from './support/authFarm';
import { type Slapd, SUFFIX, startSlapd } from './support/slapd';

interface Answer {
  result?: { data: { actor: { name: string; admin: boolean; grants: { role: string; showId: string | null }[] } } };
  error?: { message: string };
}

describe('LDAP groups become rights', () => {
  it.each([
    [['farmhand-admins'], { admin: true, grants: [] }],
    [['farmhand-wranglers'], { admin: false, grants: [{ role: 'WRANGLER', showName: null }] }],
    [['farmhand-artist-sandbox', 'staff'], { admin: false, grants: [{ role: 'ARTIST', showName: 'sandbox' }] }],
    [['farmhand-production-other'], { admin: false, grants: [{ role: 'PRODUCTION', showName: 'other' }] }],
    [['unrelated'], { admin: false, grants: [] }],
  ])('%j', (groups, rights) => {
    expect(groupsToRights(groups)).toEqual(rights);
  });
});

describe.each(testProviders())('LDAP sign-in against a real slapd on %s', (provider) => {
  let farm: AuthFarm;
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
    await slapd.addUser('lena', 'lena-directory-pw', 'Lena Lighting');
    await slapd.addUser('otto', 'otto-directory-pw', 'Otto Other');
    await slapd.addGroup('farmhand-artist-sandbox', ['lena']);
    await slapd.addGroup('farmhand-wranglers', ['otto']);
    farm = await startAuthFarm(provider);
    farm.auth.ldap = { url: slapd.url, userDn: `uid={user},ou=people,${SUFFIX}`, groupBase: `ou=groups,${SUFFIX}` };
  }, 120_000);
  afterAll(async () => {
    await farm?.stop();
    await slapd?.stop();
  });

  const signIn = async (name: string, password: string) => {
    const res = await handleTrpc(
      new Request('http://web.test/api/trpc/auth.signIn', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password }),
      }),
      farm.deps,
    );
    return { status: res.status, body: (await res.json()) as Answer, cookies: res.headers.getSetCookie() };
  };

  it('a directory user signs in with their directory password and gets the rights of their groups', async () => {
    const { status, body, cookies } = await signIn('lena', 'lena-directory-pw');
    expect(status).toBe(200);
    expect(cookies[0]).toContain('HttpOnly');
    expect(body.result?.data.actor).toMatchObject({ name: 'lena', admin: false, grants: [{ role: 'ARTIST', showId: farm.ids.sandbox }] });
    const user = await farm.db.prisma.user.findUniqueOrThrow({ where: { name: 'lena' } });
    expect(user).toMatchObject({ source: 'ldap', displayName: 'Lena Lighting', email: 'lena@studio.test', passwordHash: null });
  });

  it('the session works for what the groups allow: lena may read sandbox jobs and not lock hosts', async () => {
    const res = await handleTrpc(
      new Request('http://web.test/api/trpc/auth.signIn', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'lena', password: 'lena-directory-pw' }),
      }),
      farm.deps,
    );
    const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    const csrf = decodeURIComponent(cookies[1]?.split('=')[1] ?? '');
    const headers = { cookie: cookies.join('; '), 'x-farmhand-csrf': csrf };
    expect((await farm.trpc('query', 'jobs.list', {}, headers)).status).toBe(200);
    expect((await farm.trpc('mutation', 'commands.lockHost', { hostId: 'any' }, headers)).status).toBe(403);
  });

  it('a wrong directory password and an unknown name get the same refusal as built-in accounts', async () => {
    const wrong = await signIn('lena', 'not-it');
    const unknown = await signIn('ghost', 'not-it');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error?.message).toBe('Wrong user name or password');
    expect(unknown.body.error?.message).toBe(wrong.body.error?.message);
    expect(await farm.db.prisma.user.count({ where: { name: 'ghost' } })).toBe(0);
  });

  it('a facility group gives a facility-wide grant; leaving a group removes the right at the next sign-in', async () => {
    const first = await signIn('otto', 'otto-directory-pw');
    expect(first.body.result?.data.actor.grants).toEqual([{ role: 'WRANGLER', showId: null }]);
    const { Client } = await import('ldapts');
    const admin = new Client({ url: slapd.url });
    await admin.bind(`cn=admin,${SUFFIX}`, 'slapd-test-root');
    await admin.del(`cn=farmhand-wranglers,ou=groups,${SUFFIX}`);
    await admin.unbind();
    const second = await signIn('otto', 'otto-directory-pw');
    expect(second.body.result?.data.actor.grants).toEqual([]);
    expect(await farm.db.prisma.roleGrant.count({ where: { user: { name: 'otto' } } })).toBe(0);
  });
});
