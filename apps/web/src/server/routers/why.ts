/** "Why isn't my job running?" for a job, a layer or a frame, in the scheduler's words. */
import { z } from 'zod';
import { whyNotRunning } from '../services/why';
import { procedure, router } from '../trpc';

export const whyRouter = router({
  job: procedure.input(z.object({ jobId: z.string().min(1) })).query(async ({ ctx, input }) => whyNotRunning(await ctx.db(), input)),
  layer: procedure.input(z.object({ layerId: z.string().min(1) })).query(async ({ ctx, input }) => whyNotRunning(await ctx.db(), input)),
  frame: procedure.input(z.object({ frameId: z.number().int() })).query(async ({ ctx, input }) => whyNotRunning(await ctx.db(), input)),
});
