/**
 * The REST API under /api/v1, as zod schemas: the query filters and bodies the web's handlers
 * validate with, and the rows they answer. The OpenAPI document is generated from these, and
 * the SDK's types are inferred from them, so the handlers, the document and the SDK cannot
 * drift apart.
 */
import { z } from 'zod';
import { frameIdsSchema } from './commands';
import { prioritySchema } from './jobSpec';
import { FRAME_STATES, HOST_LOCKS, HOST_STATES, JOB_STATES, LAYER_TYPES } from './states';

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim().toUpperCase()))
    .pipe(z.array(z.enum(values)));

/** Cursor pagination: `limit` rows after `cursor` (the previous page's `nextCursor`). */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).optional(),
});

export const jobsQuerySchema = pageQuerySchema.extend({
  show: z.string().optional(),
  shot: z.string().optional(),
  user: z.string().optional(),
  /** One or more states, comma-separated: `RUNNING,PENDING`. */
  state: csv(JOB_STATES).optional(),
  /** Part of the job's name. */
  name: z.string().optional(),
});

export const framesQuerySchema = pageQuerySchema.extend({
  jobId: z.string().optional(),
  layer: z.string().optional(),
  state: csv(FRAME_STATES).optional(),
  host: z.string().optional(),
});

export const hostsQuerySchema = pageQuerySchema.extend({
  state: csv(HOST_STATES).optional(),
  lock: csv(HOST_LOCKS).optional(),
  allocation: z.string().optional(),
  tag: z.string().optional(),
});

export const failedFramesQuerySchema = z.object({
  hours: z.coerce
    .number()
    .positive()
    .max(24 * 366)
    .default(24),
  show: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const coreHoursQuerySchema = z.object({
  show: z.string().optional(),
  /** Days as YYYY-MM-DD, inclusive. */
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')
    .optional(),
});

export const frameSelectionSchema = z.object({ frameIds: frameIdsSchema }).default({});
export const priorityBodySchema = z.object({ priority: prioritySchema });

const countsSchema = z.object(
  Object.fromEntries(FRAME_STATES.map((s) => [s, z.number().int()])) as Record<(typeof FRAME_STATES)[number], z.ZodNumber>,
);
const iso = z.string().nullable();

export const jobRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  show: z.string(),
  shot: z.string(),
  user: z.string(),
  state: z.enum(JOB_STATES),
  paused: z.boolean(),
  priority: z.number().int(),
  maxRetries: z.number().int(),
  submittedAt: z.string(),
  startedAt: iso,
  stoppedAt: iso,
  counts: countsSchema,
  totalFrames: z.number().int(),
});

export const layerRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  index: z.number().int(),
  type: z.enum(LAYER_TYPES),
  command: z.string(),
  range: z.string(),
  chunk: z.number().int(),
  minCores: z.number(),
  memoryMb: z.number().int(),
  counts: countsSchema,
});

export const frameRowSchema = z.object({
  id: z.number().int(),
  jobId: z.string(),
  layerId: z.string(),
  layerName: z.string(),
  number: z.number().int(),
  frames: z.string(),
  state: z.enum(FRAME_STATES),
  retries: z.number().int(),
  attempt: z.number().int(),
  exitStatus: z.number().int().nullable(),
  hostName: z.string().nullable(),
  startedAt: iso,
  stoppedAt: iso,
  maxRssMb: z.number(),
  cpuSeconds: z.number(),
});

export const jobDetailSchema = jobRowSchema.extend({ layers: z.array(layerRowSchema), frames: z.array(frameRowSchema) });

export const hostRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  allocation: z.string(),
  state: z.enum(HOST_STATES),
  lock: z.enum(HOST_LOCKS),
  cores: z.number(),
  idleCores: z.number(),
  memoryMb: z.number(),
  freeMemoryMb: z.number(),
  gpus: z.number(),
  tags: z.array(z.string()),
  procs: z.number().int(),
  lastReportAt: iso,
});

export const showRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  subscriptions: z.array(z.object({ allocation: z.string(), size: z.number(), burst: z.number() })),
});
export const allocationRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  tag: z.string(),
  facility: z.string(),
  hosts: z.number().int(),
});
export const limitRowSchema = z.object({ id: z.string(), name: z.string(), max: z.number().int(), current: z.number().int() });

export const attemptRowSchema = z.object({
  attempt: z.number().int(),
  hostName: z.string(),
  startedAt: z.string(),
  stoppedAt: iso,
  exitStatus: z.number().int().nullable(),
  exitSignal: z.string().nullable(),
  reason: z.string().nullable(),
  maxRssMb: z.number(),
  cpuSeconds: z.number(),
  logPath: z.string(),
});

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const commandAnswerSchema = z.object({
  id: z.number().int(),
  status: z.enum(['PENDING', 'APPLIED', 'FAILED']),
  outcome: z.record(z.string(), z.unknown()).nullable(),
  queued: z.boolean(),
  message: z.string(),
});

export const submitAnswerSchema = z.object({
  id: z.string().nullable(),
  commandId: z.number().int(),
  status: z.string(),
  message: z.string(),
});

export const submissionAnswerSchema = z.object({
  commandId: z.number().int(),
  status: z.string(),
  message: z.string(),
  /** Job ids by the names the submission gave them; null while the command waits for the dispatcher. */
  jobIds: z.record(z.string(), z.string()).nullable(),
});

export const failedFrameRowSchema = z.object({
  frameId: z.number().int(),
  jobId: z.string(),
  job: z.string(),
  show: z.string(),
  layer: z.string(),
  number: z.number().int(),
  attempt: z.number().int(),
  hostName: z.string(),
  exitStatus: z.number().int().nullable(),
  reason: z.string().nullable(),
  stoppedAt: z.string(),
});

export const hostUtilizationSchema = z.object({
  hosts: z.array(
    z.object({
      name: z.string(),
      allocation: z.string(),
      state: z.string(),
      cores: z.number(),
      bookedCores: z.number(),
      utilization: z.number(),
    }),
  ),
  totals: z.object({ cores: z.number(), bookedCores: z.number(), utilization: z.number(), hostsUp: z.number().int() }),
});

export const coreHoursRowSchema = z.object({ show: z.string(), day: z.string(), coreHours: z.number(), frames: z.number().int() });

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.array(z.object({ path: z.string(), message: z.string() })) }),
});

export type JobRowDto = z.output<typeof jobRowSchema>;
export type JobDetailDto = z.output<typeof jobDetailSchema>;
export type FrameRowDto = z.output<typeof frameRowSchema>;
export type HostRowDto = z.output<typeof hostRowSchema>;
export type ShowRowDto = z.output<typeof showRowSchema>;
export type AllocationRowDto = z.output<typeof allocationRowSchema>;
export type LimitRowDto = z.output<typeof limitRowSchema>;
export type AttemptRowDto = z.output<typeof attemptRowSchema>;
export type Page<T> = { items: T[]; nextCursor: string | null };
export type CommandAnswerDto = z.output<typeof commandAnswerSchema>;
export type SubmitAnswerDto = z.output<typeof submitAnswerSchema>;
export type SubmissionAnswerDto = z.output<typeof submissionAnswerSchema>;
export type FailedFrameDto = z.output<typeof failedFrameRowSchema>;
export type HostUtilizationDto = z.output<typeof hostUtilizationSchema>;
export type CoreHoursDto = z.output<typeof coreHoursRowSchema>;
export type JobsQuery = z.input<typeof jobsQuerySchema>;
export type FramesQuery = z.input<typeof framesQuerySchema>;
export type HostsQuery = z.input<typeof hostsQuerySchema>;
