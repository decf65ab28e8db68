/**
 * Webhooks of the asking user (`ctx.user`): list, create, delete, test, deliveries. Access
 * (access.ts): reading needs a reader; adding a show's webhook needs to be allowed to act on
 * that show's jobs (it hears of all of them); the services keep each user to their own webhooks.
 */
import { webhookCreateSchema } from '@farmhand/contracts';
import { z } from 'zod';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, testWebhook } from '../services/webhooks';
import { procedure, router } from '../trpc';

const byId = z.object({ id: z.string().min(1) });
const own = { target: () => 'list' as const };

export const webhooksRouter = router({
  list: procedure.meta({ access: 'job.read', ...own }).query(async ({ ctx }) => listWebhooks(await ctx.db(), ctx.user)),
  create: procedure
    .meta({
      access: 'job.act',
      target: (input: Record<string, unknown>) => (typeof input.show === 'string' && input.show ? { show: input.show } : 'list'),
    })
    .input(webhookCreateSchema)
    .mutation(async ({ ctx, input }) => createWebhook(await ctx.db(), ctx.user, input)),
  delete: procedure
    .meta({ access: 'job.act', ...own })
    .input(byId)
    .mutation(async ({ ctx, input }) => deleteWebhook(await ctx.db(), ctx.user, input.id)),
  test: procedure
    .meta({ access: 'job.act', ...own })
    .input(byId)
    .mutation(async ({ ctx, input }) => testWebhook(await ctx.db(), ctx.dispatcherUrl, ctx.user, input.id)),
  deliveries: procedure
    .meta({ access: 'job.read', ...own })
    .input(byId.extend({ limit: z.number().int().min(1).max(500).optional() }))
    .query(async ({ ctx, input }) => listDeliveries(await ctx.db(), ctx.user, input.id, input.limit)),
});
