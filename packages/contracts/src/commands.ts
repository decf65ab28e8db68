/**
 * Commands: everything a person or a script asks of the farm. The web validates them with
 * these schemas, stores them in the command table (the durable inbox and audit log) and wakes
 * the dispatcher, which applies them and records the outcome.
 */
import { z } from 'zod';
import { jobSpecSchema, nameSchema, prioritySchema } from './jobSpec';
import { submissionSchema } from './submission';

/** The frames a frame command acts on, by id; absent: the command's default (e.g. every DEAD frame). */
export const frameIdsSchema = z.array(z.number().int()).max(1_000_000).optional();

export const commandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('submit_job'), targetType: z.literal('show'), targetId: z.string(), args: jobSpecSchema }),
  /** Frames back to WAITING with their retry count reset; no frameIds: every DEAD frame of the job. */
  z.object({
    kind: z.literal('retry_frames'),
    targetType: z.literal('job'),
    targetId: z.string(),
    args: z.object({ frameIds: frameIdsSchema }),
  }),
  /** Running frames killed and left WAITING (they run again); no frameIds: every running frame. */
  z.object({
    kind: z.literal('kill_frames'),
    targetType: z.literal('job'),
    targetId: z.string(),
    args: z.object({ frameIds: frameIdsSchema }),
  }),
  /** Frames marked EATEN (done without running; running ones are killed). No frameIds: every DEAD frame. */
  z.object({
    kind: z.literal('eat_frames'),
    targetType: z.literal('job'),
    targetId: z.string(),
    args: z.object({ frameIds: frameIdsSchema }),
  }),
  /** The whole job: running frames killed, job KILLED, nothing more runs. */
  z.object({ kind: z.literal('kill_job'), targetType: z.literal('job'), targetId: z.string(), args: z.object({}).default({}) }),
  z.object({ kind: z.literal('pause_job'), targetType: z.literal('job'), targetId: z.string(), args: z.object({}).default({}) }),
  z.object({ kind: z.literal('resume_job'), targetType: z.literal('job'), targetId: z.string(), args: z.object({}).default({}) }),
  z.object({
    kind: z.literal('set_priority'),
    targetType: z.literal('job'),
    targetId: z.string(),
    args: z.object({ priority: prioritySchema }),
  }),
  z.object({ kind: z.literal('lock_host'), targetType: z.literal('host'), targetId: z.string(), args: z.object({}).default({}) }),
  z.object({ kind: z.literal('unlock_host'), targetType: z.literal('host'), targetId: z.string(), args: z.object({}).default({}) }),
  /** Many jobs and the depends between them (a whole-shot DAG), stored all or nothing; target: the first job's show. */
  z.object({ kind: z.literal('submit_submission'), targetType: z.literal('show'), targetId: z.string(), args: submissionSchema }),
  /** A layer's booking from now on: cores (minimum, and maximum for threadable layers) and memory. Frames running keep theirs. */
  z.object({
    kind: z.literal('edit_layer'),
    targetType: z.literal('layer'),
    targetId: z.string(),
    args: z
      .object({
        minCores: z.number().positive('must be more than 0').max(1024).optional(),
        maxCores: z.number().positive('must be more than 0').max(1024).optional(),
        memoryMb: z
          .number()
          .int()
          .min(1, 'must be at least 1 MB')
          .max(16 * 1024 * 1024)
          .optional(),
      })
      .refine((a) => a.minCores !== undefined || a.maxCores !== undefined || a.memoryMb !== undefined, {
        message: 'give minCores, maxCores or memoryMb to change',
      }),
  }),
  /** A host into another allocation (by name); frames running on it keep running. */
  z.object({
    kind: z.literal('move_host'),
    targetType: z.literal('host'),
    targetId: z.string(),
    args: z.object({ allocation: z.string().min(1) }),
  }),
  /** A show's subscription to an allocation (by name), created when missing: `size` cores guaranteed, `burst` at most. */
  z.object({
    kind: z.literal('set_subscription'),
    targetType: z.literal('show'),
    targetId: z.string(),
    args: z
      .object({ allocation: z.string().min(1), size: z.number().int().min(0), burst: z.number().int().min(0) })
      .refine((a) => a.burst >= a.size, { message: 'must be at least size', path: ['burst'] }),
  }),
  /** A new limit named by the target: at most `max` frames of the layers naming it run at once. */
  z.object({
    kind: z.literal('create_limit'),
    targetType: z.literal('limit'),
    targetId: nameSchema,
    args: z.object({ max: z.number().int().min(0) }),
  }),
  /** A limit's maximum (target: its name or id). */
  z.object({
    kind: z.literal('edit_limit'),
    targetType: z.literal('limit'),
    targetId: z.string(),
    args: z.object({ max: z.number().int().min(0) }),
  }),
]);

export type CommandInput = z.input<typeof commandSchema>;
export type FarmCommand = z.output<typeof commandSchema>;
export type CommandKind = FarmCommand['kind'];

/** What the dispatcher answers to `POST /commands/:id/apply`, and what the command row records. */
export interface CommandResult {
  id: number;
  status: 'PENDING' | 'APPLIED' | 'FAILED';
  /** On APPLIED: the result (e.g. `{ jobId }` for submit_job). On FAILED: `{ code, message }`. */
  outcome: Record<string, unknown> | null;
}

/**
 * The dispatcher's HTTP interface on FARMHAND_DISPATCHER_PORT (the same port serves socket.io
 * namespaces /rqd and /live):
 *   POST /commands/:id/apply  apply a stored command now; answers CommandResult when applied
 *   GET  /health              DispatcherHealth
 *   GET  /metrics             Prometheus text
 */
export interface DispatcherHealth {
  status: 'ok';
  state: 'active' | 'standby' | 'starting';
  hostsUp: number;
  startedAt: string;
}
