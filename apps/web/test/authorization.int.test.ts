/**
 * Who may do what, over EVERY tRPC procedure of the app router and EVERY REST endpoint, for
 * every role (nobody signed in, an artist, production, a wrangler, an admin), with sign-in
 * required. The procedures and endpoints are enumerated from the router and the endpoint list,
 * so a new one without a row here (or without a declared access rule) fails this test.
 * Allowed: the call is not refused (it may still fail for its own reasons, e.g. NOT_FOUND).
 * Refused: 401 for nobody, 403 otherwise, and nothing in the database changed.
 */
import { ACTIONS } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../src/server/api/endpoints';
import { appRouter } from '../src/server/routers';
import { type AuthFarm, PASSWORD, PEOPLE, type Person, startAuthFarm } from './support/authFarm';

const SIGNED_IN: Person[] = ['ana', 'pat', 'wes', 'root'];
/** Readers of show `sandbox` (ana: artist there, pat: production there) and facility-wide roles. */
const SANDBOX: Person[] = ['ana', 'pat', 'wes', 'root'];
const FACILITY: Person[] = ['wes', 'root'];
const ADMIN: Person[] = ['root'];
const ALL: Person[] = [...PEOPLE];

interface Ids {
  jobA: string; // ana's, in sandbox
  jobB: string; // bob's, in sandbox
  jobO: string; // bob's, in other
  frameB: number;
  layerB: string;
  hostId: string;
  victimId: string;
}

interface Row {
  path: string;
  label?: string;
  input: (ids: Ids) => unknown;
  allowed: Person[];
}

const spec = (show: string, user: string, name = 'authz') => ({
  name,
  show,
  shot: 'sh010',
  user,
  maxRetries: 1,
  layers: [{ name: 'render', command: 'echo #FRAME#', range: '1-2', chunk: 1, cores: 1, memoryMb: 64 }],
});

/** tRPC: procedure → the input and who may call it. Order matters little: each call is checked on its own. */
const PROCEDURES: Row[] = [
  { path: 'auth.me', input: () => undefined, allowed: ALL },
  { path: 'auth.signIn', input: () => ({ name: 'victim', password: PASSWORD }), allowed: ALL },
  { path: 'auth.signOut', input: () => ({}), allowed: ALL },
  { path: 'auth.liveTicket', input: () => undefined, allowed: ALL },
  { path: 'auth.tokens', input: () => undefined, allowed: SIGNED_IN },
  { path: 'auth.createToken', input: () => ({ name: 'script', scopes: ['read'] }), allowed: SIGNED_IN },
  { path: 'auth.revokeToken', input: () => ({ tokenId: 'no-such-token' }), allowed: SIGNED_IN },
  { path: 'admin.users', input: () => undefined, allowed: ADMIN },
  { path: 'admin.createUser', input: () => ({ name: 'newbie', password: 'a long enough password' }), allowed: ADMIN },
  { path: 'admin.updateUser', input: (i) => ({ userId: i.victimId, disabled: false }), allowed: ADMIN },
  { path: 'admin.addGrant', input: (i) => ({ userId: i.victimId, role: 'ARTIST', show: 'sandbox' }), allowed: ADMIN },
  { path: 'admin.removeGrant', input: () => ({ grantId: 'no-such-grant' }), allowed: ADMIN },
  { path: 'admin.hostTokens', input: () => undefined, allowed: ADMIN },
  { path: 'admin.createHostToken', input: () => ({ name: 'render-01' }), allowed: ADMIN },
  { path: 'admin.revokeHostToken', input: () => ({ tokenId: 'no-such-token' }), allowed: ADMIN },
  { path: 'admin.audit', input: () => ({}), allowed: FACILITY },
  { path: 'jobs.list', input: () => ({}), allowed: SIGNED_IN },
  { path: 'jobs.get', label: "a sandbox job of bob's", input: (i) => ({ id: i.jobB }), allowed: SANDBOX },
  { path: 'jobs.get', label: "a job of show 'other'", input: (i) => ({ id: i.jobO }), allowed: FACILITY },
  { path: 'jobs.attempts', input: (i) => ({ frameId: i.frameB }), allowed: SANDBOX },
  { path: 'hosts.list', input: () => undefined, allowed: SIGNED_IN },
  { path: 'shows.list', input: () => undefined, allowed: SIGNED_IN },
  { path: 'commands.submit', label: 'as ana into sandbox', input: () => spec('sandbox', 'ana'), allowed: ['ana', 'wes', 'root'] },
  { path: 'commands.submit', label: 'as ana into other', input: () => spec('other', 'ana'), allowed: FACILITY },
  { path: 'commands.submit', label: 'as bob into sandbox', input: () => spec('sandbox', 'bob'), allowed: FACILITY },
  { path: 'commands.retryFrames', input: (i) => ({ jobId: i.jobO }), allowed: FACILITY },
  { path: 'commands.killFrames', input: (i) => ({ jobId: i.jobO }), allowed: FACILITY },
  { path: 'commands.eatFrames', input: (i) => ({ jobId: i.jobO }), allowed: FACILITY },
  { path: 'commands.pauseJob', label: "bob's job in sandbox", input: (i) => ({ jobId: i.jobB }), allowed: ['ana', 'wes', 'root'] },
  { path: 'commands.resumeJob', label: "bob's job in sandbox", input: (i) => ({ jobId: i.jobB }), allowed: ['ana', 'wes', 'root'] },
  { path: 'commands.setPriority', label: 'in sandbox', input: (i) => ({ jobId: i.jobB, priority: 50 }), allowed: SANDBOX },
  { path: 'commands.setPriority', label: 'in other', input: (i) => ({ jobId: i.jobO, priority: 50 }), allowed: FACILITY },
  { path: 'commands.lockHost', input: (i) => ({ hostId: i.hostId }), allowed: FACILITY },
  { path: 'commands.unlockHost', input: (i) => ({ hostId: i.hostId }), allowed: FACILITY },
  { path: 'commands.killJob', label: "a job of show 'other'", input: (i) => ({ jobId: i.jobO }), allowed: FACILITY },
  { path: 'farm.allocations', input: () => undefined, allowed: SIGNED_IN },
  { path: 'farm.procs', input: () => undefined, allowed: FACILITY },
  { path: 'farm.problems', input: () => ({}), allowed: FACILITY },
  { path: 'why.job', input: (i) => ({ jobId: i.jobB }), allowed: SANDBOX },
  { path: 'why.layer', input: (i) => ({ layerId: i.layerB }), allowed: SANDBOX },
  { path: 'why.frame', input: (i) => ({ frameId: i.frameB }), allowed: SANDBOX },
  { path: 'production.progress', input: () => ({}), allowed: SIGNED_IN },
  { path: 'production.coreHours', input: () => ({}), allowed: SIGNED_IN },
  { path: 'logRules.errorPatterns', input: () => ({ show: 'sandbox' }), allowed: SIGNED_IN },
  { path: 'logRules.setErrorPatterns', input: () => ({ show: 'sandbox', patterns: ['FATAL'] }), allowed: ['ana', 'wes', 'root'] },
  { path: 'logRules.alertRules', input: () => undefined, allowed: SIGNED_IN },
  { path: 'logRules.addAlertRule', input: () => ({ pattern: 'license .* not available' }), allowed: SIGNED_IN },
  { path: 'logRules.removeAlertRule', input: () => ({ id: 'no-such-rule' }), allowed: SIGNED_IN },
  { path: 'media.movie', input: (i) => ({ jobId: i.jobB }), allowed: SANDBOX },
  { path: 'jobs.getPacked', label: "a sandbox job of bob's", input: (i) => ({ id: i.jobB }), allowed: SANDBOX },
  { path: 'jobs.getPacked', label: "a job of show 'other'", input: (i) => ({ id: i.jobO }), allowed: FACILITY },
  { path: 'views.grid', input: () => ({ grid: 'jobs' }), allowed: SIGNED_IN },
  { path: 'views.saveGrid', input: () => ({ grid: 'jobs', view: { sort: { sortModel: [] } } }), allowed: SIGNED_IN },
  { path: 'views.clearGrid', input: () => ({ grid: 'jobs' }), allowed: SIGNED_IN },
  { path: 'views.pages', input: () => undefined, allowed: SIGNED_IN },
  { path: 'views.page', input: () => ({ id: 'no-such-page' }), allowed: SIGNED_IN },
  { path: 'views.savePage', input: () => ({ name: 'mine', layout: { version: 1, panels: [] } }), allowed: SIGNED_IN },
  { path: 'views.copyPage', input: () => ({ id: 'no-such-page' }), allowed: SIGNED_IN },
  { path: 'views.deletePage', input: () => ({ id: 'no-such-page' }), allowed: SIGNED_IN },
  { path: 'webhooks.list', input: () => undefined, allowed: SIGNED_IN },
  {
    path: 'webhooks.create',
    label: "for show 'other'",
    input: () => ({ url: 'http://127.0.0.1:9/hook', show: 'other', events: ['job.finished'] }),
    allowed: FACILITY,
  },
  { path: 'webhooks.delete', input: () => ({ id: 'no-such-hook' }), allowed: SIGNED_IN },
  { path: 'webhooks.test', input: () => ({ id: 'no-such-hook' }), allowed: SIGNED_IN },
  { path: 'webhooks.deliveries', input: () => ({ id: 'no-such-hook' }), allowed: SIGNED_IN },
  { path: 'notifications.list', input: () => ({}), allowed: SIGNED_IN },
  { path: 'notifications.markRead', input: () => ({}), allowed: SIGNED_IN },
  { path: 'imports.preview', input: () => ({ text: '{}', fileName: 'job.json' }), allowed: SIGNED_IN },
  {
    path: 'imports.submit',
    label: "as ana into 'other'",
    input: () => ({ submission: { jobs: [spec('other', 'ana', 'imported-trpc')] } }),
    allowed: FACILITY,
  },
];

interface RestRow {
  method: 'GET' | 'POST';
  path: string;
  label?: string;
  url: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  allowed: Person[];
}

/** REST: `METHOD /path` as the endpoint list names it → a concrete call and who may make it. */
const REST: RestRow[] = [
  { method: 'POST', path: '/jobs', url: () => '/jobs', body: () => spec('sandbox', 'ana'), allowed: ['ana', 'wes', 'root'] },
  {
    method: 'POST',
    path: '/submissions',
    url: () => '/submissions',
    body: () => ({ jobs: [spec('sandbox', 'ana', 'dag-a')] }),
    allowed: ['ana', 'wes', 'root'],
  },
  {
    method: 'POST',
    path: '/import',
    url: () => '/import?format=farmhand&fileName=job.json',
    body: () => JSON.stringify(spec('other', 'ana', 'imported')),
    allowed: FACILITY,
  },
  { method: 'GET', path: '/jobs', url: () => '/jobs', allowed: SIGNED_IN },
  { method: 'GET', path: '/jobs/{id}', url: (i) => `/jobs/${i.jobB}`, allowed: SANDBOX },
  { method: 'POST', path: '/jobs/{id}/retry', url: (i) => `/jobs/${i.jobO}/retry`, allowed: FACILITY },
  { method: 'POST', path: '/jobs/{id}/eat', url: (i) => `/jobs/${i.jobO}/eat`, allowed: FACILITY },
  { method: 'POST', path: '/jobs/{id}/kill-frames', url: (i) => `/jobs/${i.jobO}/kill-frames`, allowed: FACILITY },
  { method: 'POST', path: '/jobs/{id}/pause', url: (i) => `/jobs/${i.jobB}/pause`, allowed: ['ana', 'wes', 'root'] },
  { method: 'POST', path: '/jobs/{id}/resume', url: (i) => `/jobs/${i.jobB}/resume`, allowed: ['ana', 'wes', 'root'] },
  { method: 'POST', path: '/jobs/{id}/priority', url: (i) => `/jobs/${i.jobB}/priority`, body: () => ({ priority: 60 }), allowed: SANDBOX },
  { method: 'POST', path: '/jobs/{id}/kill', url: (i) => `/jobs/${i.jobO}/kill`, allowed: FACILITY },
  { method: 'GET', path: '/frames', url: () => '/frames', allowed: SIGNED_IN },
  { method: 'GET', path: '/frames/{id}/attempts', url: (i) => `/frames/${i.frameB}/attempts`, allowed: SANDBOX },
  { method: 'GET', path: '/frames/{id}/log', url: (i) => `/frames/${i.frameB}/log`, allowed: SANDBOX },
  { method: 'GET', path: '/hosts', url: () => '/hosts', allowed: SIGNED_IN },
  { method: 'POST', path: '/hosts/{id}/lock', url: (i) => `/hosts/${i.hostId}/lock`, allowed: FACILITY },
  { method: 'POST', path: '/hosts/{id}/unlock', url: (i) => `/hosts/${i.hostId}/unlock`, allowed: FACILITY },
  { method: 'GET', path: '/shows', url: () => '/shows', allowed: SIGNED_IN },
  { method: 'GET', path: '/allocations', url: () => '/allocations', allowed: SIGNED_IN },
  { method: 'GET', path: '/limits', url: () => '/limits', allowed: SIGNED_IN },
  { method: 'GET', path: '/reports/failed-frames', url: () => '/reports/failed-frames', allowed: SIGNED_IN },
  { method: 'GET', path: '/reports/host-utilization', url: () => '/reports/host-utilization', allowed: SIGNED_IN },
  { method: 'GET', path: '/reports/core-hours', url: () => '/reports/core-hours', allowed: SIGNED_IN },
  { method: 'GET', path: '/webhooks', url: () => '/webhooks', allowed: SIGNED_IN },
  {
    method: 'POST',
    path: '/webhooks',
    url: () => '/webhooks',
    body: () => ({ url: 'http://127.0.0.1:9/hook', show: 'other', events: ['job.finished'] }),
    allowed: FACILITY,
  },
  { method: 'POST', path: '/webhooks/{id}/delete', url: () => '/webhooks/no-such-hook/delete', allowed: SIGNED_IN },
  { method: 'POST', path: '/webhooks/{id}/test', url: () => '/webhooks/no-such-hook/test', allowed: SIGNED_IN },
  { method: 'GET', path: '/webhooks/{id}/deliveries', url: () => '/webhooks/no-such-hook/deliveries', allowed: SIGNED_IN },
  { method: 'GET', path: '/notifications', url: () => '/notifications', allowed: SIGNED_IN },
  { method: 'POST', path: '/notifications/read', url: () => '/notifications/read', body: () => ({}), allowed: SIGNED_IN },
];

type ProcedureDef = { _def: { type: 'query' | 'mutation' | 'subscription'; meta?: { access?: string } } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures;

describe('every procedure and endpoint is classified', () => {
  it('every tRPC procedure declares an access rule (access.ts) and has a row in this table', () => {
    const undeclared = Object.entries(procedures)
      .filter(([, p]) => !(ACTIONS as readonly string[]).includes(p._def.meta?.access ?? ''))
      .map(([path]) => path);
    expect(undeclared, 'procedures without .meta({ access }) — build them from access.ts').toEqual([]);
    const covered = new Set(PROCEDURES.map((r) => r.path));
    expect(
      Object.keys(procedures).filter((p) => !covered.has(p)),
      'procedures without a row in PROCEDURES',
    ).toEqual([]);
    expect(
      PROCEDURES.map((r) => r.path).filter((p) => !(p in procedures)),
      'rows for procedures that do not exist',
    ).toEqual([]);
  });

  it('every REST endpoint declares an access rule and has a row in this table', () => {
    const covered = new Set(REST.map((r) => `${r.method} ${r.path}`));
    expect(ENDPOINTS.filter((e) => !(ACTIONS as readonly string[]).includes(e.access)).map((e) => e.path)).toEqual([]);
    expect(
      ENDPOINTS.map((e) => `${e.method} ${e.path}`).filter((k) => !covered.has(k)),
      'endpoints without a row in REST',
    ).toEqual([]);
  });
});

/** What a refused call must leave as it was. */
async function snapshot(farm: AuthFarm): Promise<string> {
  const p = farm.db.prisma;
  const counts = await Promise.all([
    p.command.count(),
    p.job.count(),
    p.user.count(),
    p.roleGrant.count(),
    p.apiToken.count({ where: { revokedAt: null } }),
    p.hostToken.count({ where: { revokedAt: null } }),
    p.userView.count(),
    p.notification.count({ where: { readAt: null } }),
    p.webhook.count(),
    p.alertRule.count(),
    p.errorPattern.count(),
  ]);
  const jobs = await p.job.findMany({ select: { id: true, priority: true, paused: true, state: true }, orderBy: { id: 'asc' } });
  const hosts = await p.host.findMany({ select: { id: true, lock: true }, orderBy: { id: 'asc' } });
  const users = await p.user.findMany({
    select: { name: true, admin: true, disabled: true, passwordHash: true },
    orderBy: { name: 'asc' },
  });
  return JSON.stringify({ counts, jobs, hosts, users });
}

describe.each(testProviders())('authorization on %s, sign-in required', (provider) => {
  let farm: AuthFarm;
  let ids: Ids;

  beforeAll(async () => {
    farm = await startAuthFarm(provider);
    const root = await farm.asToken('root');
    const submit = async (show: string, user: string, name: string) => {
      const res = await farm.rest('POST', '/jobs', spec(show, user, name), root);
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const jobA = await submit('sandbox', 'ana', 'anas');
    const jobB = await submit('sandbox', 'bob', 'bobs');
    const jobO = await submit('other', 'bob', 'bobs-other');
    const frame = await farm.db.prisma.frame.findFirstOrThrow({ where: { jobId: jobB }, select: { id: true, layerId: true } });
    const allocation = await farm.db.prisma.allocation.findFirstOrThrow({ select: { id: true } });
    await farm.db.prisma.host.create({
      data: { id: 'host-authz', name: 'render-authz', allocationId: allocation.id, cores: 4, memoryMb: 4096 },
    });
    const victim = await farm.db.prisma.user.findUniqueOrThrow({ where: { name: 'victim' } });
    ids = { jobA, jobB, jobO, frameB: frame.id, layerB: frame.layerId, hostId: 'host-authz', victimId: victim.id };
  }, 120_000);

  afterAll(async () => {
    await farm?.stop();
  });

  it.each(PROCEDURES.map((r) => [`${r.path}${r.label ? ` (${r.label})` : ''}`, r] as const))('tRPC %s', async (_name, row) => {
    const type = procedures[row.path]?._def.type === 'mutation' ? 'mutation' : 'query';
    for (const who of PEOPLE) {
      const headers = await farm.asSession(who);
      const before = await snapshot(farm);
      const res = await farm.trpc(type, row.path, row.input(ids), headers);
      const text = await res.text();
      if (row.allowed.includes(who)) {
        expect([401, 403], `${who} should be allowed ${row.path}: ${text}`).not.toContain(res.status);
      } else {
        expect(res.status, `${who} should be refused ${row.path}: ${text}`).toBe(who === 'anon' ? 401 : 403);
        expect(await snapshot(farm), `${who}'s refused ${row.path} changed something`).toBe(before);
      }
    }
  });

  it.each(REST.map((r) => [`${r.method} ${r.path}`, r] as const))('REST %s', async (_name, row) => {
    for (const who of PEOPLE) {
      const headers = await farm.asToken(who);
      const before = await snapshot(farm);
      const res = await farm.rest(row.method, row.url(ids), row.body?.(ids), headers);
      const text = await res.text();
      if (row.allowed.includes(who)) {
        expect([401, 403], `${who} should be allowed ${row.method} ${row.path}: ${text}`).not.toContain(res.status);
      } else {
        expect(res.status, `${who} should be refused ${row.method} ${row.path}: ${text}`).toBe(who === 'anon' ? 401 : 403);
        expect(await snapshot(farm), `${who}'s refused ${row.method} ${row.path} changed something`).toBe(before);
      }
    }
  });

  it('lists show a reader only the jobs of their shows and their own', async () => {
    const names = async (who: Person) => {
      const res = await farm.rest('GET', '/jobs?limit=500', undefined, await farm.asToken(who));
      const body = (await res.json()) as { items: { show: string; user: string }[] };
      return new Set(body.items.map((j) => `${j.show}/${j.user}`));
    };
    const lou = await farm.db.prisma.user.create({ data: { id: 'lou-id', name: 'lou' } });
    await farm.db.prisma.job.update({ where: { id: ids.jobO }, data: { user: 'lou' } });
    try {
      const anas = [...(await names('ana'))];
      expect(anas.filter((k) => !k.startsWith('sandbox/') && !k.endsWith('/ana'))).toEqual([]);
      expect(anas).not.toContain('other/lou');
      expect(await names('wes')).toContain('other/lou');
      const lous = await farm.rest('GET', '/jobs?limit=500', undefined, await farm.asToken(lou.name));
      const items = ((await lous.json()) as { items: { show: string; user: string }[] }).items;
      expect(items.map((j) => `${j.show}/${j.user}`)).toEqual(['other/lou']);
    } finally {
      await farm.db.prisma.job.update({ where: { id: ids.jobO }, data: { user: 'bob' } });
    }
  });
});
