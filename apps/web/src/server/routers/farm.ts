/**
 * The wrangler's reads: allocations with each show's cores in use against its subscription,
 * procs, and the problems panel (stuck jobs with the scheduler's reasons, dead frames grouped
 * by their last error line, hosts down or not reporting).
 */
import { z } from 'zod';
import { allShowsRead, farmRead } from '../access';
import { deadFrameGroups, hostProblems, stuckJobs } from '../services/problems';
import { listProcs } from '../services/procs';
import { allocationUsage } from '../services/subscriptions';
import { getSettings } from '../settings';
import { router } from '../trpc';

/** A host is "not reporting" after missing this many reports (and at least 30 s). */
const MISSED_REPORTS = 3;

export const farmRouter = router({
  allocations: farmRead.query(async ({ ctx }) => allocationUsage(await ctx.db())),
  procs: allShowsRead.query(async ({ ctx }) => listProcs(await ctx.db())),
  problems: allShowsRead
    .input(z.object({ deadLimit: z.number().int().min(1).max(5000).default(500) }).default({ deadLimit: 500 }))
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      const staleAfterS = Math.max(30, MISSED_REPORTS * getSettings().reportIntervalS);
      const [jobs, dead, hosts] = await Promise.all([
        stuckJobs(db),
        deadFrameGroups(db, ctx.logRoot, input.deadLimit),
        hostProblems(db, staleAfterS),
      ]);
      return { stuckJobs: jobs, deadFrames: dead, hosts, at: new Date().toISOString() };
    }),
});
