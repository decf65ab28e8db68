/**
 * Webhooks per user and per show: create (the secret answered once), list, delete, test, and
 * each webhook's delivery log. The dispatcher delivers (apps/dispatcher/src/events); a test
 * stores a `webhook.test` event with its delivery row in one transaction and wakes the
 * dispatcher, so a test travels the same signed, retried, logged path as a real event.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  AppError,
  WEBHOOK_TEST_KIND,
  type WebhookCreate,
  type WebhookDeliveryRow,
  type WebhookRow,
  webhookCreateSchema,
} from '@farmhand/contracts';
import type { Database } from '../db';

type WebhookRecord = { id: string; owner: string; showId: string | null; url: string; events: string; enabled: boolean; createdAt: Date };

function toRow(w: WebhookRecord, shows: Map<string, string>): WebhookRow {
  return {
    id: w.id,
    owner: w.owner,
    show: w.showId ? (shows.get(w.showId) ?? w.showId) : null,
    url: w.url,
    events: w.events.split(/\s+/).filter(Boolean),
    enabled: w.enabled,
    createdAt: w.createdAt.toISOString(),
  };
}

async function showNames(db: Database): Promise<Map<string, string>> {
  return new Map((await db.prisma.show.findMany({ select: { id: true, name: true } })).map((s) => [s.id, s.name]));
}

/** The user's own webhooks (for their jobs and the shows they added), newest first. */
export async function listWebhooks(db: Database, user: string): Promise<WebhookRow[]> {
  const rows = await db.prisma.webhook.findMany({ where: { owner: user }, orderBy: { createdAt: 'desc' } });
  const shows = await showNames(db);
  return rows.map((w) => toRow(w, shows));
}

export async function createWebhook(db: Database, user: string, input: unknown): Promise<WebhookRow & { secret: string }> {
  const spec: WebhookCreate = webhookCreateSchema.parse(input);
  const shows = new Map<string, string>();
  let showId: string | null = null;
  if (spec.show) {
    const show = await db.prisma.show.findUnique({ where: { name: spec.show } });
    if (!show) throw new AppError('VALIDATION', `There is no show '${spec.show}'`, [{ path: 'show', message: `no show '${spec.show}'` }]);
    showId = show.id;
    shows.set(show.id, show.name);
  }
  const secret = spec.secret ?? `whsec_${randomBytes(24).toString('hex')}`;
  const row = await db.prisma.webhook.create({
    data: { id: randomUUID(), owner: user, showId, url: spec.url, secret, events: [...new Set(spec.events)].join(' ') },
  });
  return { ...toRow(row, shows), secret };
}

async function ownWebhook(db: Database, user: string, id: string): Promise<WebhookRecord> {
  const row = await db.prisma.webhook.findUnique({ where: { id } });
  // Someone else's webhook answers as missing: its url and existence are theirs.
  if (!row || row.owner !== user) throw new AppError('NOT_FOUND', `You have no webhook ${id}`);
  return row;
}

/** Deletes the webhook and its delivery log. */
export async function deleteWebhook(db: Database, user: string, id: string): Promise<{ deleted: string }> {
  await ownWebhook(db, user, id);
  await db.prisma.webhook.delete({ where: { id } });
  return { deleted: id };
}

/**
 * Sends a `webhook.test` event to this webhook alone; answers the delivery's id at once — its
 * outcome shows in the delivery log (`deliveries`) as the dispatcher tries it.
 */
export async function testWebhook(
  db: Database,
  dispatcherUrl: string,
  user: string,
  id: string,
): Promise<{ deliveryId: number; eventId: number }> {
  const hook = await ownWebhook(db, user, id);
  const { event, delivery } = await db.prisma.$transaction(async (tx) => {
    const event = await tx.farmEvent.create({
      data: {
        kind: WEBHOOK_TEST_KIND,
        user,
        showId: hook.showId,
        payload: JSON.stringify({ webhookId: id, message: `A test from ${user}: this webhook is reachable and its signature checks out.` }),
      },
    });
    const delivery = await tx.webhookDelivery.create({ data: { webhookId: id, eventId: event.id } });
    return { event, delivery };
  });
  // Best effort: a dispatcher that is down finds the row when it starts.
  await fetch(`${dispatcherUrl}/webhooks/wake`, { method: 'POST', signal: AbortSignal.timeout(2000) }).catch(() => undefined);
  return { deliveryId: delivery.id, eventId: event.id };
}

/** A webhook's deliveries, newest first: status, tries, last answer, and the log of failed tries. */
export async function listDeliveries(db: Database, user: string, id: string, limit = 50): Promise<WebhookDeliveryRow[]> {
  await ownWebhook(db, user, id);
  const rows = await db.prisma.webhookDelivery.findMany({ where: { webhookId: id }, orderBy: { id: 'desc' }, take: limit });
  const kinds = new Map(
    (await db.prisma.farmEvent.findMany({ where: { id: { in: rows.map((r) => r.eventId) } }, select: { id: true, kind: true } })).map(
      (e) => [e.id, e.kind],
    ),
  );
  return rows.map((r) => ({
    id: r.id,
    webhookId: r.webhookId,
    eventId: r.eventId,
    kind: kinds.get(r.eventId) ?? 'unknown',
    status: r.status as WebhookDeliveryRow['status'],
    tries: r.tries,
    responseStatus: r.responseStatus,
    log: r.error,
    nextTryAt: r.nextTryAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
  }));
}
