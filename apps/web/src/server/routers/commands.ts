/**
 * Commands: one procedure per thing a person does. Each becomes a stored command applied by
 * the dispatcher (services/commands.ts); none writes scheduling state itself.
 */
import { type CommandInput, frameIdsSchema, jobSpecSchema, prioritySchema } from '@farmhand/contracts';
import { z } from 'zod';
import { byJobId, bySpec, farmAct, jobAct, jobPriority, jobSubmit } from '../access';
import { sendCommand, submitJob } from '../services/commands';
import { type Context, router } from '../trpc';

const frames = z.object({ jobId: z.string().min(1), frameIds: frameIdsSchema });
const job = z.object({ jobId: z.string().min(1) });
const host = z.object({ hostId: z.string().min(1) });

async function send(ctx: Context, command: CommandInput) {
  return sendCommand({ db: await ctx.db(), dispatcherUrl: ctx.dispatcherUrl, user: ctx.user }, command);
}

export const commandsRouter = router({
  submit: jobSubmit(bySpec)
    .input(jobSpecSchema)
    .mutation(async ({ ctx, input }) =>
      // Signed in, the audit trail records who submitted (a wrangler may submit as someone else).
      submitJob({ db: await ctx.db(), dispatcherUrl: ctx.dispatcherUrl, user: ctx.actor?.via === 'local' ? undefined : ctx.user }, input),
    ),
  retryFrames: jobAct(byJobId)
    .input(frames)
    .mutation(({ ctx, input }) =>
      send(ctx, { kind: 'retry_frames', targetType: 'job', targetId: input.jobId, args: { frameIds: input.frameIds } }),
    ),
  killFrames: jobAct(byJobId)
    .input(frames)
    .mutation(({ ctx, input }) =>
      send(ctx, { kind: 'kill_frames', targetType: 'job', targetId: input.jobId, args: { frameIds: input.frameIds } }),
    ),
  eatFrames: jobAct(byJobId)
    .input(frames)
    .mutation(({ ctx, input }) =>
      send(ctx, { kind: 'eat_frames', targetType: 'job', targetId: input.jobId, args: { frameIds: input.frameIds } }),
    ),
  killJob: jobAct(byJobId)
    .input(job)
    .mutation(({ ctx, input }) => send(ctx, { kind: 'kill_job', targetType: 'job', targetId: input.jobId, args: {} })),
  pauseJob: jobAct(byJobId)
    .input(job)
    .mutation(({ ctx, input }) => send(ctx, { kind: 'pause_job', targetType: 'job', targetId: input.jobId, args: {} })),
  resumeJob: jobAct(byJobId)
    .input(job)
    .mutation(({ ctx, input }) => send(ctx, { kind: 'resume_job', targetType: 'job', targetId: input.jobId, args: {} })),
  setPriority: jobPriority(byJobId)
    .input(job.extend({ priority: prioritySchema }))
    .mutation(({ ctx, input }) =>
      send(ctx, { kind: 'set_priority', targetType: 'job', targetId: input.jobId, args: { priority: input.priority } }),
    ),
  lockHost: farmAct
    .input(host)
    .mutation(({ ctx, input }) => send(ctx, { kind: 'lock_host', targetType: 'host', targetId: input.hostId, args: {} })),
  unlockHost: farmAct
    .input(host)
    .mutation(({ ctx, input }) => send(ctx, { kind: 'unlock_host', targetType: 'host', targetId: input.hostId, args: {} })),
});
