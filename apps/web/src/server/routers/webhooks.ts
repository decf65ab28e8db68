/**
 * Webhooks of the asking user (`ctx.user`): list, create, delete, test, deliveries. Access
 * (access.ts): reading needs a reader; adding a show's webhook needs to be allowed to act on
 * that show's jobs (it hears of all of them); the services keep each user to their own webhooks.
 */
import { webhookCreateSchema } from '@farmhand/contracts';
import { z } from 'zod';
import { jobAct, jobList } from '../access';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, testWebhook } from '../services/webhooks';
import { router } from '../trpc';

const byId = z.object({ id: z.string().min(1) });
/** A webhook of the caller's own: any reader (list) or actor (act) may ask; the service finds only theirs. */
const own = () => 'list' as const;

export const webhooksRouter = router({
  list: jobList.query(async ({ ctx }) => listWebhooks(await ctx.db(), ctx.user)),
  create: jobAct((input) => (typeof input.show === 'string' && input.show ? { show: input.show } : 'list'))
    .input(webhookCreateSchema)
    .mutation(async ({ ctx, input }) => createWebhook(await ctx.db(), ctx.user, input)),
  delete: jobAct(own)
    .input(byId)
    .mutation(async ({ ctx, input }) => deleteWebhook(await ctx.db(), ctx.user, input.id)),
  test: jobAct(own)
    .input(byId)
    .mutation(async ({ ctx, input }) => testWebhook(await ctx.db(), ctx.dispatcherUrl, ctx.user, input.id)),
  deliveries: jobList
    .input(byId.extend({ limit: z.number().int().min(1).max(500).optional() }))
    .query(async ({ ctx, input }) => listDeliveries(await ctx.db(), ctx.user, input.id, input.limit)),
});
