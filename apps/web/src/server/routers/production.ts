/** The production view: shot progress by show and sequence, and core-hours per show per day. */
import { z } from 'zod';
import { jobList, visibleJobs } from '../access';
import { coreHoursByDay, productionProgress } from '../services/production';
import { router } from '../trpc';

export const productionRouter = router({
  progress: jobList
    .input(z.object({ show: z.string().optional() }).default({}))
    .query(async ({ ctx, input }) => productionProgress(await ctx.db(), input.show, visibleJobs(ctx.actor))),
  coreHours: jobList
    .input(z.object({ days: z.number().int().min(1).max(366).default(30) }).default({ days: 30 }))
    .query(async ({ ctx, input }) => coreHoursByDay(await ctx.db(), input.days, undefined, visibleJobs(ctx.actor))),
});
