/**
 * The outbox worker: reads farm events by id, in commit order, and fans each out — in one
 * transaction per batch through the group commit — to in-app notifications (the job's owner;
 * for host.down, the owners of the jobs whose frames the host ran; and the owner of each show
 * webhook that hears of it) and to one delivery row per matching webhook. Then it pushes each touched user's unread count to `/live` and wakes the
 * webhook sender.
 *
 * It runs in the dispatcher: the events are written there, it is the one writer, and it is
 * already single-instance (leadership.ts), so no two workers ever fan out the same event.
 * Restarts: the batch's rows commit together, so the highest event id that has fanned-out rows
 * is where it resumes; an event after it that matched nobody is read again, and matches
 * whatever webhooks exist by then.
 */
import { FARM_EVENT_KINDS, type FarmEventKind, type FarmEventPayload } from '@farmhand/contracts';
import type { Dispatcher } from '../dispatcher';
import { notificationText } from './notificationText';
import { pushNotifications } from './push';
import { Rerunner } from './rerunner';
import { NOTIFICATION, WEBHOOK_DELIVERY } from './tables';

const BATCH = 500;

interface WebhookTarget {
  id: string;
  owner: string;
  showId: string | null;
  events: Set<string>;
}

interface EventRow {
  id: number;
  kind: string;
  showId: string | null;
  user: string | null;
  payload: string;
}

export class EventOutbox {
  private cursor: number | null = null;
  private readonly runner = new Rerunner(() => this.pass());

  constructor(
    private readonly d: Dispatcher,
    private readonly afterFanOut: () => void,
  ) {}

  /** Fans out whatever was committed since the last run; calls made while it runs make one more run. */
  kick(): void {
    this.runner.kick();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  private async pass(): Promise<void> {
    try {
      while (!this.runner.stopped && (await this.fanOutBatch()) === BATCH) {}
    } catch (e) {
      // Tried again from the same cursor in a few seconds (or at the next commit with events).
      this.d.log.error({ err: e }, 'farm events could not be fanned out; trying again in 5 s');
      if (!this.runner.stopped) setTimeout(() => this.kick(), 5000).unref();
    }
  }

  private async startCursor(): Promise<number> {
    const kinds = FARM_EVENT_KINDS.map((k) => `'${k}'`).join(', ');
    const rows = await this.d.db.$queryRawUnsafe<{ at: number | bigint | null }[]>(
      `SELECT MAX(m) AS at FROM (
         SELECT MAX(n."eventId") AS m FROM "Notification" n JOIN "FarmEvent" e ON e."id" = n."eventId" WHERE e."kind" IN (${kinds})
         UNION ALL
         SELECT MAX(w."eventId") AS m FROM "WebhookDelivery" w JOIN "FarmEvent" e ON e."id" = w."eventId" WHERE e."kind" IN (${kinds})
       ) AS fanned`,
    );
    return Number(rows[0]?.at ?? 0);
  }

  /** One batch: answers how many events it read. */
  private async fanOutBatch(): Promise<number> {
    this.cursor ??= await this.startCursor();
    const events: EventRow[] = await this.d.db.farmEvent.findMany({
      where: { id: { gt: this.cursor }, kind: { in: [...FARM_EVENT_KINDS] } },
      orderBy: { id: 'asc' },
      take: BATCH,
      select: { id: true, kind: true, showId: true, user: true, payload: true },
    });
    if (events.length === 0) return 0;
    const webhooks: WebhookTarget[] = (await this.d.db.webhook.findMany({ where: { enabled: true } })).map((w) => ({
      id: w.id,
      owner: w.owner,
      showId: w.showId,
      events: new Set(w.events.split(/\s+/)),
    }));
    const now = Date.now();
    const notifications: unknown[][] = [];
    const deliveries: unknown[][] = [];
    const users = new Set<string>();
    for (const e of events) {
      const kind = e.kind as FarmEventKind;
      const payload = JSON.parse(e.payload) as FarmEventPayload<FarmEventKind>;
      const { owners, showIds } = this.audience(e, kind, payload);
      // Whoever watches a show through a webhook hears of its events in the bell as well.
      const notified = new Set(owners);
      for (const w of webhooks) {
        if (!w.events.has(kind)) continue;
        const hears = w.showId ? showIds.has(w.showId) : kind === 'host.down' || owners.has(w.owner);
        if (!hears) continue;
        deliveries.push([w.id, e.id, 'PENDING', 0, now, now]);
        if (w.showId) notified.add(w.owner);
      }
      const text = notificationText(kind, payload);
      for (const user of notified) {
        notifications.push([user, e.id, kind, text.title, text.body, text.link, now]);
        users.add(user);
      }
    }
    const dialect = this.d.store.dialect;
    await this.d.store.run([
      ...(notifications.length > 0 ? dialect.insert(NOTIFICATION, notifications) : []),
      ...(deliveries.length > 0 ? dialect.insert(WEBHOOK_DELIVERY, deliveries) : []),
    ]);
    this.cursor = events[events.length - 1]?.id ?? this.cursor;
    this.d.metrics.rowsWritten.inc(notifications.length + deliveries.length);
    await pushNotifications(this.d, [...users]);
    if (deliveries.length > 0) this.afterFanOut();
    return events.length;
  }

  /** Who hears of an event: users (notifications and their own webhooks) and shows (show webhooks). */
  private audience(e: EventRow, kind: FarmEventKind, payload: FarmEventPayload<FarmEventKind>) {
    const owners = new Set<string>();
    const showIds = new Set<string>();
    if (kind === 'host.down') {
      for (const j of (payload as FarmEventPayload<'host.down'>).jobs) {
        owners.add(j.user);
        const show = this.d.farm.showsByName.get(j.show);
        if (show) showIds.add(show.id);
      }
    } else {
      if (e.user) owners.add(e.user);
      if (e.showId) showIds.add(e.showId);
    }
    return { owners, showIds };
  }
}
