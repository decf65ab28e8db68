/**
 * Who may do what: roles granted per show (or facility-wide), API token scopes, and the one
 * pure policy `can(actor, action, target)` every server path asks (tRPC, REST, CLI tokens,
 * socket.io rooms). No I/O: the caller loads the actor and the target's show and owner.
 *
 * The rules (issue #10):
 * - ARTIST: their own jobs (read, act) anywhere; on a show where granted, read, submit to
 *   and act on that show's jobs.
 * - WRANGLER: facility-wide, all jobs, hosts, allocations, subscriptions and limits, and the
 *   audit trail; granted on one show, that show's jobs (and submitting to it).
 * - PRODUCTION: reads everything of their shows and may change priority within the show.
 * - admin (`User.admin`): everything, including users and grants.
 * A grant with `showId: null` holds on every show. Every signed-in actor reads the farm's
 * shared parts (hosts, allocations, shows, limits): they are not any one show's.
 * An API token carries scopes; what it may do is what its user may do AND what its scopes allow.
 * Tokens never manage accounts or tokens (a leaked token cannot mint another).
 */
import { z } from 'zod';

export const ROLES = ['ARTIST', 'WRANGLER', 'PRODUCTION'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const TOKEN_SCOPES = ['read', 'submit', 'act'] as const;
export const tokenScopeSchema = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export interface Grant {
  role: Role;
  /** null: facility-wide (every show). */
  showId: string | null;
}

export interface Actor {
  /** `User.name`: what Job.user and Command.user record. */
  name: string;
  admin: boolean;
  grants: Grant[];
  /** How the actor was recognised: a session cookie, an API token, or local mode (loopback, no config). */
  via: 'session' | 'token' | 'local';
  /** An API token's scopes; null for sessions and local mode (everything the user may do). */
  scopes: TokenScope[] | null;
}

/**
 * What a procedure or endpoint does, as the policy sees it.
 * - `public`: anyone, signed in or not (sign-in itself, health).
 * - `account`: the signed-in actor's own account (their API tokens, signing out).
 */
export const ACTIONS = [
  'public',
  'account',
  'farm.read',
  'farm.act',
  'job.read',
  'job.submit',
  'job.act',
  'job.priority',
  'audit.read',
  'users.admin',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The scope an API token needs for each action; null: tokens may never do it. */
export const ACTION_SCOPE: Record<Action, TokenScope | null> = {
  public: 'read',
  account: null,
  'farm.read': 'read',
  'farm.act': 'act',
  'job.read': 'read',
  'job.submit': 'submit',
  'job.act': 'act',
  'job.priority': 'act',
  'audit.read': 'read',
  'users.admin': null,
};

/** What the action is about: the show it belongs to, and for jobs the user who owns it. */
export interface Target {
  showId?: string | null;
  /** Job.user of the job acted on, or the user a submitted job runs as. */
  owner?: string;
}

function holds(actor: Actor, roles: readonly Role[], showId: string | null | undefined): boolean {
  return actor.grants.some((g) => roles.includes(g.role) && (g.showId === null || (showId != null && g.showId === showId)));
}

const ANY_ROLE: readonly Role[] = ROLES;

/** Whether the actor may do the action on the target. Pure; table-tested in contracts/test/access.test.ts. */
export function can(actor: Actor | null, action: Action, target: Target = {}): boolean {
  if (action === 'public') return true;
  if (!actor) return false;
  if (actor.scopes !== null) {
    const needed = ACTION_SCOPE[action];
    if (needed === null || !actor.scopes.includes(needed)) return false;
  }
  if (actor.admin) return true;
  const own = target.owner !== undefined && target.owner === actor.name;
  switch (action) {
    case 'account':
    case 'farm.read':
      return true;
    case 'farm.act':
      // Hosts, allocations, subscriptions and limits are shared by every show: a wrangler
      // granted on one show must not raise their own show's share of the farm.
      return facilityWrangler(actor);
    case 'job.read':
      return own || holds(actor, ANY_ROLE, target.showId);
    case 'job.submit':
      // Submitting as somebody else is a wrangler's job; an artist submits as themself.
      return holds(actor, ['ARTIST', 'WRANGLER'], target.showId) && (own || holds(actor, ['WRANGLER'], target.showId));
    case 'job.act':
      return own || holds(actor, ['ARTIST', 'WRANGLER'], target.showId);
    case 'job.priority':
      return own || holds(actor, ANY_ROLE, target.showId);
    case 'audit.read':
      return facilityWrangler(actor);
    case 'users.admin':
      return false;
  }
}

function facilityWrangler(actor: Actor): boolean {
  return actor.grants.some((g) => g.role === 'WRANGLER' && g.showId === null);
}

/**
 * The shows whose jobs the actor reads: 'all', or the show ids of their grants. Their own jobs
 * are readable on top of these (lists filter by `showId in shows OR user = name`).
 */
export function readableShows(actor: Actor): 'all' | string[] {
  if (actor.scopes !== null && !actor.scopes.includes('read')) return [];
  if (actor.admin || actor.grants.some((g) => g.showId === null)) return 'all';
  return [...new Set(actor.grants.map((g) => g.showId).filter((s): s is string => s !== null))];
}

/** Body of `POST` token creation and the account page's form. */
export const apiTokenInputSchema = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(80),
  scopes: z.array(tokenScopeSchema).min(1, 'choose at least one scope'),
  /** Days until it expires; absent: never. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type ApiTokenInput = z.infer<typeof apiTokenInputSchema>;

export const signInSchema = z.object({
  name: z.string().trim().min(1, 'enter your user name').max(200),
  password: z.string().min(1, 'enter your password').max(1000),
});

export const userNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z_][a-z0-9_.-]{0,63}$/i, 'a user name is letters, digits, . _ - (up to 64), starting with a letter or _');

export const userInputSchema = z.object({
  name: userNameSchema,
  displayName: z.string().trim().max(200).default(''),
  email: z.string().trim().email().optional(),
  source: z.enum(['local', 'ldap']).default('local'),
  /** Local accounts: at least 10 characters. */
  password: z.string().min(10, 'a password has at least 10 characters').max(1000).optional(),
  admin: z.boolean().default(false),
});

export const grantInputSchema = z.object({
  userId: z.string().min(1),
  role: roleSchema,
  /** A show's id or name; absent or null: facility-wide. */
  show: z.string().min(1).nullable().optional(),
});

/** A live ticket: what the web tells the dispatcher's /live about a browser (signed, short-lived). */
export const liveTicketSchema = z.object({
  user: z.string(),
  /** 'all', or the show ids whose job and log rooms the browser may join (and any job of `user`). */
  shows: z.union([z.literal('all'), z.array(z.string())]),
  /** Expiry, ms since the epoch. */
  exp: z.number(),
});
export type LiveTicket = z.infer<typeof liveTicketSchema>;
