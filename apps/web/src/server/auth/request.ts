/**
 * Who a request comes from, and the cookies that carry a sign-in.
 *
 * - Local mode (loopback, FARMHAND_AUTH unset): the OS user, as admin (a page may name another
 *   user in `x-farmhand-user`, as before accounts existed: on one machine everyone is trusted).
 * - `Authorization: Bearer <API token>` (scripts, CLI, SDK).
 * - The `farmhand_session` cookie (browsers): HttpOnly, SameSite=Lax, Secure when the request
 *   came over https (directly or as `x-forwarded-proto: https` from a proxy), Max-Age = session length.
 *
 * CSRF (cookie sign-ins only; bearer tokens are not sent by browsers on their own): a
 * synchronizer token per session (Session.csrfToken) that the page reads from the
 * `farmhand_csrf` cookie (readable by scripts of this origin only) and sends back in the
 * `x-farmhand-csrf` header on every state-changing request; another site can neither read the
 * cookie nor set the header. An `Origin` header, when the browser sends one, must also be this
 * server's own.
 */
import { timingSafeEqual } from 'node:crypto';
import { type Actor, AppError } from '@farmhand/contracts';
import type { Database } from '../db';
import { type NewSession, type SessionInfo, sessionActor, tokenActor } from './accounts';
import type { AuthConfig } from './config';

export const SESSION_COOKIE = 'farmhand_session';
export const CSRF_COOKIE = 'farmhand_csrf';
export const CSRF_HEADER = 'x-farmhand-csrf';

export interface RequestAuth {
  actor: Actor | null;
  session: SessionInfo | null;
  /** Why a credential the request presented was refused (shown with the 401). */
  refused: string | null;
}

export function cookieValue(req: Request, name: string): string | null {
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function localActor(req: Request, config: AuthConfig): Actor {
  const named = req.headers.get('x-farmhand-user')?.trim();
  return { name: named || config.localUser, admin: true, grants: [], via: 'local', scopes: null };
}

export async function authenticate(req: Request, db: Database, config: AuthConfig): Promise<RequestAuth> {
  if (config.mode === 'local') return { actor: localActor(req, config), session: null, refused: null };
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '')?.[1];
  if (bearer) {
    const actor = await tokenActor(db, bearer);
    return { actor, session: null, refused: actor ? null : 'The API token is not valid: it is unknown, revoked or expired' };
  }
  const cookie = cookieValue(req, SESSION_COOKIE);
  if (cookie) {
    const found = await sessionActor(db, cookie);
    if (found) return { actor: found.actor, session: found.session, refused: null };
    return { actor: null, session: null, refused: 'Your sign-in has ended: sign in again' };
  }
  return { actor: null, session: null, refused: null };
}

export function isHttps(req: Request): boolean {
  return new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

/** The client's address for rate limiting: the first X-Forwarded-For hop (set by the proxy in front), else unknown. */
export function clientAddress(req: Request): string {
  return req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || req.headers.get('x-real-ip') || 'direct';
}

function cookie(req: Request, name: string, value: string, maxAgeS: number, httpOnly: boolean): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    `Max-Age=${maxAgeS}`,
    'SameSite=Lax',
    ...(httpOnly ? ['HttpOnly'] : []),
    ...(isHttps(req) ? ['Secure'] : []),
  ].join('; ');
}

export function sessionCookies(req: Request, s: NewSession): string[] {
  const maxAge = Math.max(0, Math.floor((s.expiresAt.getTime() - Date.now()) / 1000));
  return [cookie(req, SESSION_COOKIE, s.token, maxAge, true), cookie(req, CSRF_COOKIE, s.csrfToken, maxAge, false)];
}

export function clearedCookies(req: Request): string[] {
  return [cookie(req, SESSION_COOKIE, '', 0, true), cookie(req, CSRF_COOKIE, '', 0, false)];
}

/** Refuses a state-changing request made with a session cookie unless it carries the session's CSRF token (and a foreign Origin is absent). */
export function checkCsrf(req: Request, auth: RequestAuth): void {
  if (auth.actor?.via !== 'session' || !auth.session) return;
  const origin = req.headers.get('origin');
  if (origin && origin !== 'null') {
    const own = new URL(req.url);
    const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host') ?? own.host;
    if (new URL(origin).host !== host)
      throw new AppError('FORBIDDEN', `Refused: a request from another site (${origin}) cannot act with your sign-in`);
  }
  const given = Buffer.from(req.headers.get(CSRF_HEADER) ?? '');
  const expected = Buffer.from(auth.session.csrfToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new AppError('FORBIDDEN', `Refused: the ${CSRF_HEADER} header is missing or wrong (reload the page and try again)`);
}
