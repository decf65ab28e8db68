/** The asking user's notifications (the bell): list with the unread count, mark read. Each user sees only their own. */
import { markReadSchema } from '@farmhand/contracts';
import { z } from 'zod';
import { jobList } from '../access';
import { listNotifications, markRead } from '../services/notifications';
import { router } from '../trpc';

export const notificationsRouter = router({
  list: jobList
    .input(z.object({ unread: z.boolean().optional(), limit: z.number().int().min(1).max(500).optional() }).optional())
    .query(async ({ ctx, input }) =>
      listNotifications(await ctx.db(), ctx.user, { unread: input?.unread ? '1' : '0', limit: input?.limit ?? 50 }),
    ),
  markRead: jobList
    .input(markReadSchema)
    .mutation(async ({ ctx, input }) => markRead(await ctx.db(), ctx.dispatcherUrl, ctx.user, input.ids)),
});
