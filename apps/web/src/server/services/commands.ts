/**
 * Commands from people and scripts: validated with the shared schema, refused when they name
 * a show, job, host or frame that does not exist (nothing stored), stored in the command table
 * (the durable inbox and audit log), then applied by the dispatcher, whose answer is returned.
 * When the dispatcher cannot be reached the command stays PENDING and the answer says so.
 */
import {
  AppError,
  type CommandInput,
  type CommandResult,
  commandSchema,
  ERROR_CODES,
  type ErrorCode,
  type FarmCommand,
  jobSpecSchema,
} from '@farmhand/contracts';
import type { Database } from '../db';
import { applyCommand } from '../dispatcherClient';

export interface CommandContext {
  db: Database;
  dispatcherUrl: string;
  /** Who asks: recorded in the audit log. */
  user: string;
}

export interface CommandAnswer extends CommandResult {
  /** True when the dispatcher was not reached: the command waits in the inbox. */
  queued: boolean;
  message: string;
}

/** Checks that what a command names exists, and gives the stored target id (a show's id for a submission). */
async function resolveTarget(db: Database, command: FarmCommand): Promise<string> {
  if (command.kind === 'submit_job') {
    const name = command.args.show;
    const show = await db.prisma.show.findFirst({ where: { OR: [{ name }, { id: name }] }, select: { id: true } });
    if (!show) {
      const known = (await db.prisma.show.findMany({ select: { name: true }, orderBy: { name: 'asc' }, take: 20 })).map((s) => s.name);
      const hint = known.length ? `; known shows: ${known.join(', ')}` : '; no show exists yet';
      const message = `there is no show named '${name}'${hint}`;
      throw new AppError('VALIDATION', `show: ${message}`, [{ path: 'show', message }]);
    }
    return show.id;
  }
  if (command.targetType === 'job') {
    const job = await db.prisma.job.findUnique({ where: { id: command.targetId }, select: { id: true } });
    if (!job)
      throw new AppError('NOT_FOUND', `jobId: there is no job with id '${command.targetId}'`, [{ path: 'jobId', message: 'no such job' }]);
    const frameIds = 'frameIds' in command.args ? command.args.frameIds : undefined;
    if (frameIds && frameIds.length > 0) {
      const found = await db.prisma.frame.findMany({ where: { id: { in: frameIds }, jobId: job.id }, select: { id: true } });
      if (found.length !== new Set(frameIds).size) {
        const ok = new Set(found.map((f) => f.id));
        const missing = frameIds.filter((id) => !ok.has(id)).slice(0, 10);
        throw new AppError('NOT_FOUND', `frameIds: frame ${missing.join(', ')} is not a frame of job '${job.id}'`, [
          { path: 'frameIds', message: `not frames of this job: ${missing.join(', ')}` },
        ]);
      }
    }
    return job.id;
  }
  const host = await db.prisma.host.findFirst({
    where: { OR: [{ id: command.targetId }, { name: command.targetId }] },
    select: { id: true },
  });
  if (!host)
    throw new AppError('NOT_FOUND', `hostId: there is no host with id or name '${command.targetId}'`, [
      { path: 'hostId', message: 'no such host' },
    ]);
  return host.id;
}

function failure(outcome: Record<string, unknown> | null): AppError {
  const code = typeof outcome?.code === 'string' && outcome.code in ERROR_CODES ? (outcome.code as ErrorCode) : 'CONFLICT';
  const message = typeof outcome?.message === 'string' ? outcome.message : 'The dispatcher refused the command';
  const fields = Array.isArray(outcome?.fields) ? (outcome.fields as { path: string; message: string }[]) : [];
  return new AppError(code, message, fields);
}

/**
 * Validates, stores and applies one command. A command the dispatcher refuses (FAILED) is
 * thrown as an AppError with the dispatcher's code and message.
 */
export async function sendCommand(ctx: CommandContext, input: CommandInput): Promise<CommandAnswer> {
  const command = commandSchema.parse(input);
  const targetId = await resolveTarget(ctx.db, command);
  const row = await ctx.db.prisma.command.create({
    data: { user: ctx.user, kind: command.kind, targetType: command.targetType, targetId, args: JSON.stringify(command.args) },
    select: { id: true },
  });
  const answer = await applyCommand(ctx.dispatcherUrl, row.id);
  if (!answer.reached) {
    return {
      id: row.id,
      status: 'PENDING',
      outcome: null,
      queued: true,
      message: `Command ${row.id} is stored and queued: the dispatcher is not reachable (${answer.reason}). It will be applied when the dispatcher runs.`,
    };
  }
  const result = answer.result;
  if (result.status === 'FAILED') throw failure(result.outcome);
  return {
    ...result,
    queued: result.status === 'PENDING',
    message: result.status === 'APPLIED' ? `Command ${row.id} applied` : `Command ${row.id} is queued`,
  };
}

export interface SubmitAnswer extends CommandAnswer {
  /** The new job's id, once the dispatcher has applied the submission. */
  jobId: string | null;
}

/**
 * A job submission (a JobSpecInput, unchecked) from the form or the REST API: the spec is validated first so errors name `layers[0].range`, not `args.…`.
 * The command records `ctx.user` (who signed in) when given, else the spec's user (local mode).
 */
export async function submitJob(ctx: Omit<CommandContext, 'user'> & { user?: string | undefined }, spec: unknown): Promise<SubmitAnswer> {
  const parsed = jobSpecSchema.parse(spec);
  const answer = await sendCommand(
    { ...ctx, user: ctx.user ?? parsed.user },
    { kind: 'submit_job', targetType: 'show', targetId: parsed.show, args: parsed },
  );
  const jobId = typeof answer.outcome?.jobId === 'string' ? answer.outcome.jobId : null;
  return { ...answer, jobId };
}
