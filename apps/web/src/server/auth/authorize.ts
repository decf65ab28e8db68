/**
 * The one check every tRPC procedure and REST endpoint goes through before its service runs:
 * the caller's declaration (`AccessMeta`: an action, and where in the input the target is)
 * → the target's show and owner, loaded from the database → `can()` from contracts. Refusals
 * happen before anything is stored, so a refused call changes nothing.
 */
import { ACTION_SCOPE, type Action, type Actor, AppError, can, readableShows, type Target } from '@farmhand/contracts';
import type { Database } from '../db';
import type { RequestAuth } from './request';

/** Where the target of a call is, from its (raw) input or path parameters. */
export type TargetRef =
  | { job: unknown }
  | { frame: unknown }
  | { layer: unknown }
  /** A job spec being submitted: its show and the user it runs as. */
  | { spec: unknown }
  /** Many job specs (a DAG): each is checked. */
  | { submission: unknown }
  /** A show by name or id (production views). */
  | { show: unknown }
  /** A list: allowed to anyone who may read, and filtered to what they may read by the service. */
  | 'list';

export interface AccessMeta {
  access: Action;
  target?: (input: Record<string, unknown>) => TargetRef;
}

interface LoadedTarget extends Target {
  showName?: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : null);

async function jobTarget(db: Database, where: { id: string } | null): Promise<LoadedTarget[]> {
  if (!where) return [{}];
  const job = await db.prisma.job.findUnique({ where, select: { user: true, showId: true, show: { select: { name: true } } } });
  return [job ? { showId: job.showId, owner: job.user, showName: job.show.name } : {}];
}

async function showTarget(db: Database, nameOrId: string | null, owner?: string): Promise<LoadedTarget> {
  if (!nameOrId) return owner === undefined ? {} : { owner };
  const show = await db.prisma.show.findFirst({ where: { OR: [{ name: nameOrId }, { id: nameOrId }] }, select: { id: true, name: true } });
  return {
    ...(show ? { showId: show.id, showName: show.name } : { showId: `unknown:${nameOrId}` }),
    ...(owner === undefined ? {} : { owner }),
  };
}

async function loadTargets(db: Database, ref: Exclude<TargetRef, 'list'>): Promise<LoadedTarget[]> {
  if ('job' in ref) return jobTarget(db, str(ref.job) ? { id: str(ref.job) as string } : null);
  if ('frame' in ref) {
    const id = Number(ref.frame);
    const frame = Number.isSafeInteger(id) ? await db.prisma.frame.findUnique({ where: { id }, select: { jobId: true } }) : null;
    return jobTarget(db, frame ? { id: frame.jobId } : null);
  }
  if ('layer' in ref) {
    const id = str(ref.layer);
    const layer = id ? await db.prisma.layer.findUnique({ where: { id }, select: { jobId: true } }) : null;
    return jobTarget(db, layer ? { id: layer.jobId } : null);
  }
  if ('show' in ref) return [await showTarget(db, str(ref.show))];
  const specs =
    'spec' in ref
      ? [ref.spec]
      : Array.isArray((ref.submission as { jobs?: unknown })?.jobs)
        ? (ref.submission as { jobs: unknown[] }).jobs
        : [];
  const targets: LoadedTarget[] = [];
  for (const spec of specs) {
    const s = (spec ?? {}) as { show?: unknown; user?: unknown };
    targets.push(await showTarget(db, str(s.show), str(s.user) ?? ''));
  }
  return targets.length > 0 ? targets : [{}];
}

const DOING: Record<Action, string> = {
  public: 'do this',
  account: 'manage API tokens or accounts with an API token (sign in instead)',
  'farm.read': 'read the farm',
  'farm.act': 'change hosts, allocations, subscriptions or limits (a facility wrangler or admin may)',
  'job.read': 'read these jobs',
  'job.submit': 'submit this job',
  'job.act': 'act on this job',
  'job.priority': "change this job's priority",
  'audit.read': 'read the audit trail (wranglers and admins may)',
  'users.admin': 'manage accounts (admins may)',
};

function refusal(actor: Actor, action: Action, target: LoadedTarget): AppError {
  if (actor.scopes !== null && can({ ...actor, scopes: null }, action, target)) {
    return new AppError(
      'FORBIDDEN',
      `This API token's scopes (${actor.scopes.join(', ') || 'none'}) do not allow this: it may not ${DOING[action]}`,
    );
  }
  const where = target.showName ? ` in show '${target.showName}'` : '';
  const whose = target.owner && action !== 'job.submit' ? ` (owned by ${target.owner})` : '';
  const as = action === 'job.submit' && target.owner && target.owner !== actor.name ? ` as '${target.owner}'` : '';
  return new AppError('FORBIDDEN', `${actor.name} may not ${DOING[action]}${as}${where}${whose}`);
}

/** Throws UNAUTHORIZED (nobody signed in) or FORBIDDEN (not allowed) before a call runs. */
export async function authorize<I = Record<string, unknown>>(
  db: Database,
  auth: RequestAuth,
  meta: { access: Action; target?: ((input: I) => TargetRef) | undefined } | undefined,
  name: string,
  input: I,
): Promise<void> {
  if (!meta) {
    // Fail closed: a procedure nobody classified is for admins only (and the authorization test fails).
    if (auth.actor?.admin && auth.actor.scopes === null) return;
    throw new AppError('FORBIDDEN', `${name} declares no access rule yet (see apps/web/src/server/access.ts); only admins may call it`);
  }
  if (meta.access === 'public') return;
  const actor = auth.actor;
  if (!actor) throw new AppError('UNAUTHORIZED', auth.refused ?? 'Sign in first (or send an API token: Authorization: Bearer <token>)');
  const ref = meta.target?.((input ?? {}) as I);
  if (ref === 'list') {
    // Every signed-in reader may ask; the service shows only what `visibleJobs` allows.
    const needed = ACTION_SCOPE[meta.access];
    if (actor.scopes !== null && (needed === null || !actor.scopes.includes(needed))) throw refusal(actor, meta.access, {});
    return;
  }
  const targets = ref ? await loadTargets(db, ref) : [{}];
  for (const target of targets) if (!can(actor, meta.access, target)) throw refusal(actor, meta.access, target);
}

/** What a list may show the actor: every job, or those of their shows plus their own. */
export type VisibleJobs = 'all' | { shows: string[]; user: string };

export function visibleJobs(actor: Actor | null): VisibleJobs {
  if (!actor) return { shows: [], user: '' };
  const shows = readableShows(actor);
  return shows === 'all' ? 'all' : { shows, user: actor.name };
}

/** The Prisma `where` for jobs the actor may see (spread into a job query's where). */
export function visibleJobWhere(visible: VisibleJobs = 'all'): { OR?: ({ showId: { in: string[] } } | { user: string })[] } {
  return visible === 'all' ? {} : { OR: [{ showId: { in: visible.shows } }, { user: visible.user }] };
}
