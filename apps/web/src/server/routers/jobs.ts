/** Jobs: the list with frame counts, one job with layers and frames, a frame's attempts. */
import { z } from 'zod';
import { frameAttempts, getJob, listJobs } from '../services/jobs';
import { procedure, router } from '../trpc';

export const jobsRouter = router({
  list: procedure
    .input(z.object({ user: z.string().optional(), show: z.string().optional() }).default({}))
    .query(async ({ ctx, input }) => listJobs(await ctx.db(), input)),
  get: procedure.input(z.object({ id: z.string().min(1) })).query(async ({ ctx, input }) => getJob(await ctx.db(), input.id)),
  attempts: procedure
    .input(z.object({ frameId: z.number().int() }))
    .query(async ({ ctx, input }) => frameAttempts(await ctx.db(), input.frameId)),
});
