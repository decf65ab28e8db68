/** "Why isn't my job running?" for a job, a layer or a frame, in the scheduler's words. */
import { z } from 'zod';
import { byFrameId, byJobId, byLayerId, jobRead } from '../access';
import { whyNotRunning } from '../services/why';
import { router } from '../trpc';

export const whyRouter = router({
  job: jobRead(byJobId)
    .input(z.object({ jobId: z.string().min(1) }))
    .query(async ({ ctx, input }) => whyNotRunning(await ctx.db(), input)),
  layer: jobRead(byLayerId)
    .input(z.object({ layerId: z.string().min(1) }))
    .query(async ({ ctx, input }) => whyNotRunning(await ctx.db(), input)),
  frame: jobRead(byFrameId)
    .input(z.object({ frameId: z.number().int() }))
    .query(async ({ ctx, input }) => whyNotRunning(await ctx.db(), input)),
});
