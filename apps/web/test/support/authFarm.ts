/**
 * A farm with sign-in required, for the permission tests: a fresh database with the shows
 * `sandbox` and `other`, the real dispatcher (FARMHAND_AUTH=required, so /live wants tickets),
 * accounts for every role, and helpers that make requests as each of them (session cookie +
 * CSRF header, or an API token) through the same handlers Next mounts.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, type Role, type TokenScope } from '@farmhand/contracts';
import { type Database, openDatabase, type Provider } from '@farmhand/db';
import { createTestDatabase } from '@farmhand/db/testing';
import { type RunningDispatcher, startDispatcher } from '@farmhand/dispatcher';
import pino from 'pino';
import { handleApiV1 } from '../../src/server/api/router';
import type { AuthConfig } from '../../src/server/auth/config';
import { SignInLimiter, type SignInLimits } from '../../src/server/auth/rateLimit';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/server/auth/request';
import { hashPassword, newOpaqueToken } from '../../src/server/auth/secrets';
import type { WebDeps } from '../../src/server/deps';
import { handleTrpc } from '../../src/server/trpcHandler';

export const LIVE_SECRET = 'test-live-secret-0123456789abcdef';
export const PASSWORD = 'correct horse battery';

/** The people of the permission tests; `anon` presents nothing. */
export const PEOPLE = ['anon', 'ana', 'pat', 'wes', 'root'] as const;
export type Person = (typeof PEOPLE)[number];

export interface AuthFarm {
  db: Database;
  deps: WebDeps;
  dispatcher: RunningDispatcher;
  dataDir: string;
  auth: AuthConfig;
  ids: { sandbox: string; other: string };
  /** Request headers as a person: a fresh session cookie and its CSRF header (none for anon). */
  asSession(who: Person): Promise<Record<string, string>>;
  /** Request headers with a fresh API token of the person. */
  asToken(who: Person | string, scopes?: TokenScope[], extra?: { expiresAt?: Date; revokedAt?: Date }): Promise<Record<string, string>>;
  trpc(type: 'query' | 'mutation', procedure: string, input: unknown, headers: Record<string, string>): Promise<Response>;
  rest(method: 'GET' | 'POST', pathAndQuery: string, body: unknown, headers: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

const GRANTS: Record<Exclude<Person, 'anon' | 'root'>, { role: Role; show: 'sandbox' | 'other' | null }[]> = {
  ana: [{ role: 'ARTIST', show: 'sandbox' }],
  pat: [{ role: 'PRODUCTION', show: 'sandbox' }],
  wes: [{ role: 'WRANGLER', show: null }],
};

export async function startAuthFarm(provider: Provider, limits: SignInLimits = { failures: 1000, windowS: 60 }): Promise<AuthFarm> {
  const database = await createTestDatabase(provider);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-auth-'));
  const db = openDatabase(database.url);
  await db.prisma.show.create({ data: { id: randomUUID(), name: 'other' } });
  const settings = loadSettings({
    DATABASE_URL: database.url,
    FARMHAND_DATA_DIR: dataDir,
    FARMHAND_HOST_TOKEN: 'auth-test-shared-host-token',
    FARMHAND_AUTH: 'required',
    FARMHAND_LIVE_SECRET: LIVE_SECRET,
  });
  const dispatcher = await startDispatcher({ settings, port: 0, logger: pino({ level: 'silent' }), commandPollMs: 200 });
  const shows = await db.prisma.show.findMany({ select: { id: true, name: true } });
  const showId = (name: string) => shows.find((s) => s.name === name)?.id ?? '';
  const passwordHash = await hashPassword(PASSWORD);
  const userIds = new Map<string, string>();
  for (const name of ['ana', 'pat', 'wes', 'root', 'victim'] as const) {
    const id = randomUUID();
    userIds.set(name, id);
    await db.prisma.user.create({ data: { id, name, passwordHash, admin: name === 'root' } });
    for (const g of GRANTS[name as keyof typeof GRANTS] ?? [])
      await db.prisma.roleGrant.create({ data: { id: randomUUID(), userId: id, role: g.role, showId: g.show ? showId(g.show) : null } });
  }
  const auth: AuthConfig = {
    mode: 'required',
    localUser: 'nobody',
    sessionHours: 1,
    ldap: null,
    limiter: new SignInLimiter(limits),
    liveSecret: () => LIVE_SECRET,
  };
  const deps: WebDeps = { db: async () => db, dispatcherUrl: dispatcher.url, logRoot: settings.logRoot, auth };
  const base = 'http://web.test';
  return {
    db,
    deps,
    dispatcher,
    dataDir,
    auth,
    ids: { sandbox: showId('sandbox'), other: showId('other') },
    async asSession(who): Promise<Record<string, string>> {
      if (who === 'anon') return {};
      const token = newOpaqueToken('fhs');
      const csrf = randomUUID();
      await db.prisma.session.create({
        data: {
          id: randomUUID(),
          tokenHash: token.hash,
          userId: userIds.get(who) ?? '',
          csrfToken: csrf,
          expiresAt: new Date(Date.now() + 3600_000),
        },
      });
      return { cookie: `${SESSION_COOKIE}=${token.token}`, [CSRF_HEADER]: csrf };
    },
    async asToken(who, scopes = ['read', 'submit', 'act'], extra = {}): Promise<Record<string, string>> {
      if (who === 'anon') return {};
      const token = newOpaqueToken('fh');
      const user = await db.prisma.user.findUniqueOrThrow({ where: { name: who }, select: { id: true } });
      await db.prisma.apiToken.create({
        data: {
          id: randomUUID(),
          userId: user.id,
          name: 'test',
          prefix: token.prefix,
          tokenHash: token.hash,
          scopes: scopes.join(' '),
          expiresAt: extra.expiresAt ?? null,
          revokedAt: extra.revokedAt ?? null,
        },
      });
      return { authorization: `Bearer ${token.token}` };
    },
    trpc(type, procedure, input, headers) {
      const url =
        type === 'query'
          ? `${base}/api/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
          : `${base}/api/trpc/${procedure}`;
      const req = new Request(url, {
        method: type === 'query' ? 'GET' : 'POST',
        headers: { ...(type === 'mutation' ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(type === 'mutation' ? { body: JSON.stringify(input ?? {}) } : {}),
      });
      return handleTrpc(req, deps);
    },
    rest(method, pathAndQuery, body, headers) {
      const req = new Request(`${base}/api/v1${pathAndQuery}`, {
        method,
        headers: {
          ...(method === 'POST' ? { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' } : {}),
          ...headers,
        },
        ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body ?? {}) } : {}),
      });
      return handleApiV1(deps, req);
    },
    async stop() {
      await dispatcher.stop();
      await db.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
