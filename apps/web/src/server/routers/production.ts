/** The production view: shot progress by show and sequence, and core-hours per show per day. */
import { z } from 'zod';
import { coreHoursByDay, productionProgress } from '../services/production';
import { procedure, router } from '../trpc';

export const productionRouter = router({
  progress: procedure
    .input(z.object({ show: z.string().optional() }).default({}))
    .query(async ({ ctx, input }) => productionProgress(await ctx.db(), input.show)),
  coreHours: procedure
    .input(z.object({ days: z.number().int().min(1).max(366).default(30) }).default({ days: 30 }))
    .query(async ({ ctx, input }) => coreHoursByDay(await ctx.db(), input.days)),
});
