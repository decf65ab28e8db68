/**
 * REST endpoints for webhooks and notifications, in the endpoint list's shape (endpoints.ts
 * spreads them in), calling the same services as the tRPC procedures `webhooks.*` and
 * `notifications.*`. Everything is the asking user's own: someone else's webhook answers 404.
 */
import {
  markReadSchema,
  notificationRowSchema,
  notificationsQuerySchema,
  webhookCreatedSchema,
  webhookCreateSchema,
  webhookDeliveryRowSchema,
  webhookRowSchema,
} from '@farmhand/contracts';
import { z } from 'zod';
import { listNotifications, markRead } from '../services/notifications';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, testWebhook } from '../services/webhooks';
import type { Endpoint } from './endpoints';

const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export const EVENT_ENDPOINTS: Endpoint[] = [
  {
    method: 'GET',
    path: '/webhooks',
    summary: 'Your webhooks (for your jobs, and for the shows you added)',
    tag: 'events',
    response: z.array(webhookRowSchema),
    access: 'job.read',
    target: () => 'list',
    handle: async (c) => listWebhooks(await c.deps.db(), c.user),
  },
  {
    method: 'POST',
    path: '/webhooks',
    summary:
      'Add a webhook: url, events (job.finished, job.dead_frames, frame.failed, host.down), show (optional: every job of the show). Answers the signing secret once',
    tag: 'events',
    body: webhookCreateSchema,
    response: webhookCreatedSchema,
    status: 201,
    access: 'job.act',
    // A show's webhook hears of every job of the show: only someone who may act on the show's jobs adds one.
    target: (r) => {
      const show = (r.body as { show?: unknown } | undefined)?.show;
      return typeof show === 'string' && show ? { show } : 'list';
    },
    handle: async (c) => createWebhook(await c.deps.db(), c.user, c.body),
  },
  {
    method: 'POST',
    path: '/webhooks/{id}/delete',
    summary: 'Delete one of your webhooks and its delivery log',
    tag: 'events',
    response: z.object({ deleted: z.string() }),
    access: 'job.act',
    target: () => 'list',
    handle: async (c) => deleteWebhook(await c.deps.db(), c.user, c.params.id ?? ''),
  },
  {
    method: 'POST',
    path: '/webhooks/{id}/test',
    summary: 'Send a signed webhook.test event to the webhook now; its outcome shows in its deliveries',
    tag: 'events',
    response: z.object({ deliveryId: z.number().int(), eventId: z.number().int() }),
    status: 202,
    access: 'job.act',
    target: () => 'list',
    handle: async (c) => testWebhook(await c.deps.db(), c.deps.dispatcherUrl, c.user, c.params.id ?? ''),
  },
  {
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    summary: "A webhook's deliveries, newest first: status, tries, last HTTP status, a line per failed try",
    tag: 'events',
    query: limitQuery,
    response: z.array(webhookDeliveryRowSchema),
    access: 'job.read',
    target: () => 'list',
    handle: async (c) => listDeliveries(await c.deps.db(), c.user, c.params.id ?? '', (c.query as z.output<typeof limitQuery>).limit),
  },
  {
    method: 'GET',
    path: '/notifications',
    summary: 'Your notifications, newest first, with the unread count (unread=1: only unread ones)',
    tag: 'events',
    query: notificationsQuerySchema,
    response: z.object({ user: z.string(), unread: z.number().int(), items: z.array(notificationRowSchema) }),
    access: 'job.read',
    target: () => 'list',
    handle: async (c) => listNotifications(await c.deps.db(), c.user, c.query as z.output<typeof notificationsQuerySchema>),
  },
  {
    method: 'POST',
    path: '/notifications/read',
    summary: 'Mark notifications read (ids, or all of yours without ids)',
    tag: 'events',
    body: markReadSchema,
    response: z.object({ marked: z.number().int(), unread: z.number().int() }),
    access: 'job.read',
    target: () => 'list',
    handle: async (c) => markRead(await c.deps.db(), c.deps.dispatcherUrl, c.user, (c.body as z.output<typeof markReadSchema>).ids),
  },
];
