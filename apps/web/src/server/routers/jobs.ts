/** Jobs: the list with frame counts, one job with layers and frames (also packed by column), a frame's attempts. */
import { z } from 'zod';
import { byFrameId, byId, jobList, jobRead, visibleJobs } from '../access';
import { packFrames } from '../services/framePack';
import { frameAttempts, getJob, listJobs } from '../services/jobs';
import { router } from '../trpc';

export const jobsRouter = router({
  list: jobList
    .input(z.object({ user: z.string().optional(), show: z.string().optional() }).default({}))
    .query(async ({ ctx, input }) => listJobs(await ctx.db(), input, visibleJobs(ctx.actor))),
  get: jobRead(byId)
    .input(z.object({ id: z.string().min(1) }))
    .query(async ({ ctx, input }) => getJob(await ctx.db(), input.id)),
  /** `get` with the frames packed by column (framePack.ts): what the job page reads. */
  getPacked: jobRead(byId)
    .input(z.object({ id: z.string().min(1) }))
    .query(async ({ ctx, input }) => {
      const { frames, ...detail } = await getJob(await ctx.db(), input.id);
      return { ...detail, frames: packFrames(input.id, frames) };
    }),
  attempts: jobRead(byFrameId)
    .input(z.object({ frameId: z.number().int() }))
    .query(async ({ ctx, input }) => frameAttempts(await ctx.db(), input.frameId)),
});
