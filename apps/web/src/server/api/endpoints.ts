/**
 * Every endpoint under /api/v1, once: method, path, the zod schemas its query and body are
 * validated with, the schema of what it answers, and the service it calls. The router
 * (router.ts) and the OpenAPI document (openapi.ts) are both read from this list, so the
 * document cannot describe an endpoint other than the one that runs.
 */
import {
  type Action,
  type Actor,
  allocationRowSchema,
  attemptRowSchema,
  type CommandInput,
  commandAnswerSchema,
  coreHoursQuerySchema,
  coreHoursRowSchema,
  failedFrameRowSchema,
  failedFramesQuerySchema,
  frameRowSchema,
  frameSelectionSchema,
  framesQuerySchema,
  hostRowSchema,
  hostsQuerySchema,
  hostUtilizationSchema,
  jobDetailSchema,
  jobRowSchema,
  jobSpecSchema,
  jobsQuerySchema,
  limitRowSchema,
  pageQuerySchema,
  pageSchema,
  priorityBodySchema,
  showRowSchema,
  submissionAnswerSchema,
  submissionSchema,
  submitAnswerSchema,
} from '@farmhand/contracts';
import { IMPORT_FORMATS } from '@farmhand/importers';
import { z } from 'zod';
import type { TargetRef, VisibleJobs } from '../auth/authorize';
import type { WebDeps } from '../deps';
import { getFrameLog, getJobById, postJob } from '../rest';
import { sendCommand } from '../services/commands';
import { frameAttempts } from '../services/jobs';
import { pageAllocations, pageFrames, pageHosts, pageJobs, pageLimits, pageShows } from '../services/lists';
import { coreHours, failedFrames, hostUtilization } from '../services/reports';
import { importToSubmission, submitSubmission } from '../services/submissions';
import { EVENT_ENDPOINTS } from './eventEndpoints';

export interface Call {
  deps: WebDeps;
  req: Request;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** Who asks (`User.name` of the session or API token; the OS user in local mode). */
  user: string;
  /** Who asks, as the policy sees them (null: nobody, for public endpoints). */
  actor: Actor | null;
  /** What the caller may see of the jobs lists. */
  visible: VisibleJobs;
  /** Checks a target only known once the body is read (imports). */
  authorize(access: Action, target: TargetRef): Promise<void>;
}

/** The raw parts of a call an endpoint's target is read from (before validation). */
export interface RawCall {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface Endpoint {
  method: 'GET' | 'POST';
  /** OpenAPI style: `/jobs/{id}/retry`. */
  path: string;
  summary: string;
  tag: 'jobs' | 'frames' | 'farm' | 'reports' | 'submit' | 'events';
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Raw text bodies (imports) are read as text, not JSON. */
  textBody?: boolean;
  response: z.ZodType | 'text';
  status?: number;
  /** Who may call it (contracts' `can()` action), checked before the body is handled; see access.ts. */
  access: Action;
  /** Where the target is (a job, frame, spec…); absent: the action alone decides. */
  target?: (raw: RawCall) => TargetRef;
  handle(call: Call): Promise<unknown>;
}

const jobParam = (r: RawCall): TargetRef => ({ job: r.params.id });
const frameParam = (r: RawCall): TargetRef => ({ frame: r.params.id });

const jobCommand = (kind: 'retry_frames' | 'kill_frames' | 'eat_frames', summary: string): Endpoint => ({
  method: 'POST',
  path: `/jobs/{id}/${kind === 'retry_frames' ? 'retry' : kind === 'kill_frames' ? 'kill-frames' : 'eat'}`,
  summary,
  tag: 'jobs',
  body: frameSelectionSchema,
  response: commandAnswerSchema,
  access: 'job.act',
  target: jobParam,
  handle: async (c) => send(c, { kind, targetType: 'job', targetId: c.params.id ?? '', args: c.body as { frameIds?: number[] } }),
});

const simpleJobCommand = (kind: 'kill_job' | 'pause_job' | 'resume_job', path: string, summary: string): Endpoint => ({
  method: 'POST',
  path: `/jobs/{id}/${path}`,
  summary,
  tag: 'jobs',
  response: commandAnswerSchema,
  access: 'job.act',
  target: jobParam,
  handle: async (c) => send(c, { kind, targetType: 'job', targetId: c.params.id ?? '', args: {} }),
});

async function send(c: Call, command: CommandInput) {
  return sendCommand({ db: await c.deps.db(), dispatcherUrl: c.deps.dispatcherUrl, user: c.user }, command);
}

const importQuery = z.object({
  format: z.enum(IMPORT_FORMATS).optional(),
  fileName: z.string().optional(),
  show: z.string().optional(),
  user: z.string().optional(),
  /** `1`: answer the submission the file becomes, without submitting it. */
  dryRun: z.enum(['0', '1']).optional(),
});

export const ENDPOINTS: Endpoint[] = [
  {
    method: 'POST',
    path: '/jobs',
    summary: 'Submit one job spec; 201 with the job id, 202 when the dispatcher is down and the command waits',
    tag: 'submit',
    body: jobSpecSchema,
    response: submitAnswerSchema,
    status: 201,
    access: 'job.submit',
    target: (r) => ({ spec: r.body }),
    handle: async (c) =>
      postJob(
        c.deps,
        new Request(c.req.url, { method: 'POST', body: JSON.stringify(c.body), headers: { 'content-type': 'application/json' } }),
        c.actor?.via === 'local' ? undefined : c.user,
      ),
  },
  {
    method: 'POST',
    path: '/submissions',
    summary: 'Submit many jobs with depends between them (a DAG), all or nothing',
    tag: 'submit',
    body: submissionSchema,
    response: submissionAnswerSchema,
    status: 201,
    access: 'job.submit',
    target: (r) => ({ submission: r.body }),
    handle: async (c) => submitSubmission({ db: await c.deps.db(), dispatcherUrl: c.deps.dispatcherUrl, user: c.user }, c.body),
  },
  {
    method: 'POST',
    path: '/import',
    summary:
      'Submit a file another farm manager writes (OpenJD template, DAGMan .dag without splices, OpenCue XML) or a Farmhand spec; dryRun=1 answers the submission only',
    tag: 'submit',
    query: importQuery,
    textBody: true,
    response: z.union([submissionAnswerSchema, z.object({ submission: submissionSchema, warnings: z.array(z.string()) })]),
    // The submission is only known once the file is read: the handler checks it (c.authorize).
    access: 'job.submit',
    target: () => 'list',
    handle: async (c) => {
      const q = c.query as z.output<typeof importQuery>;
      const { submission, warnings } = importToSubmission(String(c.body), {
        ...(q.format ? { format: q.format } : {}),
        fileName: q.fileName ?? 'upload',
        ...(q.show ? { show: q.show } : {}),
        user: q.user ?? c.user,
      });
      if (q.dryRun === '1') return { submission, warnings };
      await c.authorize('job.submit', { submission });
      return {
        ...(await submitSubmission({ db: await c.deps.db(), dispatcherUrl: c.deps.dispatcherUrl, user: c.user }, submission)),
        warnings,
      };
    },
  },
  {
    method: 'GET',
    path: '/jobs',
    summary: 'Jobs, newest first, by show, shot, user, state or part of the name',
    tag: 'jobs',
    query: jobsQuerySchema,
    response: pageSchema(jobRowSchema),
    access: 'job.read',
    target: () => 'list',
    handle: async (c) => pageJobs(await c.deps.db(), c.query as z.output<typeof jobsQuerySchema>, c.visible),
  },
  {
    method: 'GET',
    path: '/jobs/{id}',
    summary: 'One job with its frame counts, layers and frames',
    tag: 'jobs',
    response: jobDetailSchema,
    access: 'job.read',
    target: jobParam,
    handle: async (c) => getJobById(c.deps, c.params.id ?? ''),
  },
  jobCommand('retry_frames', 'Retry frames (default: every DEAD frame); their retry counts start again'),
  jobCommand('eat_frames', 'Eat frames (default: every DEAD frame): done without running'),
  jobCommand('kill_frames', 'Kill running frames (default: all); they run again'),
  simpleJobCommand('kill_job', 'kill', 'Kill the job: running frames stop, nothing more runs'),
  simpleJobCommand('pause_job', 'pause', 'Pause the job: nothing new starts'),
  simpleJobCommand('resume_job', 'resume', 'Resume a paused job'),
  {
    method: 'POST',
    path: '/jobs/{id}/priority',
    summary: "Set the job's priority",
    tag: 'jobs',
    body: priorityBodySchema,
    response: commandAnswerSchema,
    access: 'job.priority',
    target: jobParam,
    handle: async (c) =>
      send(c, { kind: 'set_priority', targetType: 'job', targetId: c.params.id ?? '', args: c.body as { priority: number } }),
  },
  {
    method: 'GET',
    path: '/frames',
    summary: 'Frames by job, layer, state or host, in id order',
    tag: 'frames',
    query: framesQuerySchema,
    response: pageSchema(frameRowSchema),
    access: 'job.read',
    target: () => 'list',
    handle: async (c) => pageFrames(await c.deps.db(), c.query as z.output<typeof framesQuerySchema>, c.visible),
  },
  {
    method: 'GET',
    path: '/frames/{id}/attempts',
    summary: "A frame's attempts, oldest first",
    tag: 'frames',
    response: z.array(attemptRowSchema),
    access: 'job.read',
    target: frameParam,
    handle: async (c) => frameAttempts(await c.deps.db(), Number(c.params.id)),
  },
  {
    method: 'GET',
    path: '/frames/{id}/log',
    summary: "An attempt's log as text (latest without attempt); Range: bytes=… → 206; offset=K → the bytes from K",
    tag: 'frames',
    query: z.object({ attempt: z.string().optional(), offset: z.string().optional() }),
    response: 'text',
    access: 'job.read',
    target: frameParam,
    handle: async (c) => getFrameLog(c.deps, c.req, c.params.id ?? ''),
  },
  {
    method: 'GET',
    path: '/hosts',
    summary: 'Hosts by state, lock, allocation or tag',
    tag: 'farm',
    query: hostsQuerySchema,
    response: pageSchema(hostRowSchema),
    access: 'farm.read',
    handle: async (c) => pageHosts(await c.deps.db(), c.query as z.output<typeof hostsQuerySchema>),
  },
  {
    method: 'POST',
    path: '/hosts/{id}/lock',
    summary: 'Lock a host (by id or name): nothing new is booked on it',
    tag: 'farm',
    response: commandAnswerSchema,
    access: 'farm.act',
    handle: async (c) => send(c, { kind: 'lock_host', targetType: 'host', targetId: c.params.id ?? '', args: {} }),
  },
  {
    method: 'POST',
    path: '/hosts/{id}/unlock',
    summary: 'Unlock a host',
    tag: 'farm',
    response: commandAnswerSchema,
    access: 'farm.act',
    handle: async (c) => send(c, { kind: 'unlock_host', targetType: 'host', targetId: c.params.id ?? '', args: {} }),
  },
  {
    method: 'GET',
    path: '/shows',
    summary: 'Shows with their subscriptions',
    tag: 'farm',
    query: pageQuerySchema,
    response: pageSchema(showRowSchema),
    access: 'farm.read',
    handle: async (c) => pageShows(await c.deps.db(), c.query as z.output<typeof pageQuerySchema>),
  },
  {
    method: 'GET',
    path: '/allocations',
    summary: 'Allocations with their facility and host count',
    tag: 'farm',
    query: pageQuerySchema,
    response: pageSchema(allocationRowSchema),
    access: 'farm.read',
    handle: async (c) => pageAllocations(await c.deps.db(), c.query as z.output<typeof pageQuerySchema>),
  },
  {
    method: 'GET',
    path: '/limits',
    summary: 'Limits (e.g. licenses): how many frames may run at once',
    tag: 'farm',
    query: pageQuerySchema,
    response: pageSchema(limitRowSchema),
    access: 'farm.read',
    handle: async (c) => pageLimits(await c.deps.db(), c.query as z.output<typeof pageQuerySchema>),
  },
  {
    method: 'GET',
    path: '/reports/failed-frames',
    summary: 'Frame attempts that failed in the last N hours, newest first',
    tag: 'reports',
    query: failedFramesQuerySchema,
    response: z.array(failedFrameRowSchema),
    access: 'job.read',
    target: () => 'list',
    handle: async (c) => failedFrames(await c.deps.db(), c.query as z.output<typeof failedFramesQuerySchema>, Date.now(), c.visible),
  },
  {
    method: 'GET',
    path: '/reports/host-utilization',
    summary: 'Cores booked against cores, per host and over the hosts that are UP',
    tag: 'reports',
    response: hostUtilizationSchema,
    access: 'farm.read',
    handle: async (c) => hostUtilization(await c.deps.db()),
  },
  {
    method: 'GET',
    path: '/reports/core-hours',
    summary: 'Core-hours by show and day',
    tag: 'reports',
    query: coreHoursQuerySchema,
    response: z.array(coreHoursRowSchema),
    access: 'job.read',
    target: () => 'list',
    handle: async (c) => coreHours(await c.deps.db(), c.query as z.output<typeof coreHoursQuerySchema>, c.visible),
  },
  ...EVENT_ENDPOINTS,
];
