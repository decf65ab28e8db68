/**
 * Who may call each tRPC procedure — declared here, checked for every call (trpc.ts →
 * auth/authorize.ts → contracts' `can()`), and enumerated by the authorization test
 * (test/authorization.int.test.ts), which fails for a procedure that declares nothing.
 *
 * HOW TO DECLARE A NEW PROCEDURE: start it from one of the builders below instead of
 * `procedure`, choosing by what it does, e.g.
 *
 *   list: farmRead.query(...)                                   // hosts, allocations, shows, limits
 *   get: jobRead(byJobId).input(z.object({ jobId })).query(...) // one job's data
 *   kill: jobAct(byJobId).input(...).mutation(...)              // changes a job
 *   views: account.query(...)                                   // the caller's own things (their views, notifications)
 *
 * The target function reads the raw input and says where the job (or frame, layer, show,
 * spec) is; its show and owner are loaded and checked before the procedure runs. A list of
 * jobs (`jobList`) is open to every reader and must filter with `visibleJobs(ctx.actor)`.
 * Then add the procedure's row to the expectations in the authorization test.
 *
 * REST endpoints declare the same `access` and `target` in api/endpoints.ts.
 */
import type { AccessMeta, TargetRef } from './auth/authorize';
import { procedure } from './trpc';

type Target = NonNullable<AccessMeta['target']>;

const declare = (meta: AccessMeta) => procedure.meta(meta);

/** Anyone, signed in or not: sign-in, who am I. */
export const publicProcedure = declare({ access: 'public' });
/** The signed-in actor's own things (API tokens, saved views, notifications, sign-out); never with an API token. */
export const account = declare({ access: 'account' });
/** The farm's shared parts every signed-in reader sees: hosts, allocations, shows, subscriptions, limits. */
export const farmRead = declare({ access: 'farm.read' });
/** Changes to hosts, allocations, subscriptions, limits: facility wranglers and admins. */
export const farmAct = declare({ access: 'farm.act' });
/** A list of jobs (or of their frames, usage, progress): every reader, filtered by `visibleJobs(ctx.actor)`. */
export const jobList = declare({ access: 'job.read', target: () => 'list' });
/** Reads across every show at once (procs, the problems panel): facility-wide roles and admins. */
export const allShowsRead = declare({ access: 'job.read' });
export const jobRead = (target: Target) => declare({ access: 'job.read', target });
export const jobAct = (target: Target) => declare({ access: 'job.act', target });
export const jobPriority = (target: Target) => declare({ access: 'job.priority', target });
export const jobSubmit = (target: Target) => declare({ access: 'job.submit', target });
/** The command table (audit trail): facility wranglers and admins. */
export const auditRead = declare({ access: 'audit.read' });
/** Accounts, grants, host tokens: admins. */
export const usersAdmin = declare({ access: 'users.admin' });

/** Target functions for the usual input shapes. */
export const byJobId = (i: Record<string, unknown>): TargetRef => ({ job: i.jobId });
export const byId = (i: Record<string, unknown>): TargetRef => ({ job: i.id });
export const byFrameId = (i: Record<string, unknown>): TargetRef => ({ frame: i.frameId });
export const byLayerId = (i: Record<string, unknown>): TargetRef => ({ layer: i.layerId });
export const byShow = (i: Record<string, unknown>): TargetRef => ({ show: i.show });
export const bySpec = (i: Record<string, unknown>): TargetRef => ({ spec: i });
export const bySubmission = (i: Record<string, unknown>): TargetRef => ({ submission: i.submission });

export { type VisibleJobs, visibleJobs, visibleJobWhere } from './auth/authorize';
