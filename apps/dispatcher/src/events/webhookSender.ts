/**
 * Delivers webhook rows: POSTs the event as JSON, signed (`farmhand-signature: t=…,v1=…`,
 * HMAC-SHA256 of `<t>.<body>` with the webhook's secret, see contracts/farmEvents.ts), and
 * records every try on the delivery row through the group commit: its count, the last HTTP
 * status, and a line per failed try in `error`. A 2xx answer delivers; anything else (or no
 * answer within the timeout) is tried again after `backoffMs × 2^(tries-1)` (capped at an
 * hour) until `maxTries`, then FAILED. Due rows are read from the database, so deliveries
 * survive restarts; a delivery whose answer was lost to a crash is sent again (receivers
 * dedupe by `eventId`).
 */
import { signWebhook, WEBHOOK_HEADERS, type WebhookBody } from '@farmhand/contracts';
import type { Dispatcher } from '../dispatcher';
import { Rerunner } from './rerunner';
import { WEBHOOK_TRY } from './tables';

export interface WebhookSettings {
  /** Wait before the second try; doubles with each try (default 10 s). */
  backoffMs: number;
  /** Tries before a delivery is FAILED (default 8: about 21 minutes of retries). */
  maxTries: number;
  /** How long a receiver may take to answer (default 10 s). */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { backoffMs: 10_000, maxTries: 8, timeoutMs: 10_000 };

const MAX_BACKOFF_MS = 3_600_000;
const BATCH = 50;
/** The log of tries kept on a row: the newest lines. */
const LOG_CHARS = 4000;
/** Looks for due rows at least this often, whatever it was told (rows the web wrote while it slept). */
const SAFETY_NET_MS = 30_000;

export class WebhookSender {
  private readonly runner = new Rerunner(() => this.pass());
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<number>();

  constructor(
    private readonly d: Dispatcher,
    private readonly settings: WebhookSettings = DEFAULT_WEBHOOK_SETTINGS,
  ) {}

  kick(): void {
    this.runner.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.runner.stop();
  }

  private async pass(): Promise<void> {
    try {
      while (!this.runner.stopped && (await this.sendDue()) === BATCH) {}
      await this.sleepUntilNext();
    } catch (e) {
      this.d.log.error({ err: e }, 'webhook deliveries could not be read; trying again soon');
      this.wakeIn(1000);
    }
  }

  private async sendDue(): Promise<number> {
    const due = await this.d.db.webhookDelivery.findMany({
      where: { status: 'PENDING', nextTryAt: { lte: new Date() }, id: { notIn: [...this.inFlight] } },
      orderBy: { nextTryAt: 'asc' },
      take: BATCH,
      include: { webhook: true },
    });
    if (due.length === 0) return 0;
    const events = new Map(
      (await this.d.db.farmEvent.findMany({ where: { id: { in: due.map((r) => r.eventId) } } })).map((e) => [e.id, e]),
    );
    await Promise.all(
      due.map(async (row) => {
        this.inFlight.add(row.id);
        try {
          const event = events.get(row.eventId);
          const outcome: Outcome = !event
            ? { ok: false, status: null, error: `event ${row.eventId} no longer exists`, final: true }
            : !row.webhook.enabled
              ? { ok: false, status: null, error: 'the webhook is disabled', final: true }
              : await this.post(row.webhook.url, row.webhook.secret, row.id, {
                  eventId: event.id,
                  kind: event.kind,
                  createdAt: event.createdAt.toISOString(),
                  data: JSON.parse(event.payload) as unknown,
                });
          await this.record(row, outcome);
        } finally {
          this.inFlight.delete(row.id);
        }
      }),
    );
    return due.length;
  }

  private async post(url: string, secret: string, deliveryId: number, body: WebhookBody): Promise<Outcome> {
    const text = JSON.stringify(body);
    const started = Date.now();
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Farmhand-Webhooks/1',
          [WEBHOOK_HEADERS.signature]: await signWebhook(secret, text, started),
          [WEBHOOK_HEADERS.event]: body.kind,
          [WEBHOOK_HEADERS.delivery]: String(deliveryId),
        },
        body: text,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        redirect: 'manual',
      });
      await res.arrayBuffer().catch(() => undefined);
      const ms = Date.now() - started;
      return res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status} in ${ms} ms` };
    } catch (e) {
      const why =
        e instanceof Error ? (e.name === 'TimeoutError' ? `no answer within ${this.settings.timeoutMs} ms` : causeOf(e)) : String(e);
      return { ok: false, status: null, error: why };
    }
  }

  private async record(row: { id: number; tries: number; error: string | null }, outcome: Outcome): Promise<void> {
    const now = Date.now();
    const tries = row.tries + 1;
    const final = outcome.ok || outcome.final || tries >= this.settings.maxTries;
    const status = outcome.ok ? 'DELIVERED' : final ? 'FAILED' : 'PENDING';
    const nextTryAt = final ? now : now + Math.min(MAX_BACKOFF_MS, this.settings.backoffMs * 2 ** (tries - 1));
    const line = outcome.ok ? null : `try ${tries} at ${new Date(now).toISOString()}: ${outcome.error}`;
    const log = line ? `${row.error ? `${row.error}\n` : ''}${line}`.slice(-LOG_CHARS) : row.error;
    if (!outcome.ok) this.d.log.warn({ delivery: row.id, tries, status }, `webhook delivery failed: ${outcome.error}`);
    await this.d.store.run(
      this.d.store.dialect.update(WEBHOOK_TRY, [[row.id, status, tries, outcome.status, log, nextTryAt, outcome.ok ? now : null]]),
    );
  }

  private async sleepUntilNext(): Promise<void> {
    const next = await this.d.db.webhookDelivery.findFirst({
      where: { status: 'PENDING', id: { notIn: [...this.inFlight] } },
      orderBy: { nextTryAt: 'asc' },
      select: { nextTryAt: true },
    });
    this.wakeIn(next ? Math.max(0, next.nextTryAt.getTime() - Date.now()) : SAFETY_NET_MS);
  }

  private wakeIn(ms: number): void {
    if (this.runner.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), Math.min(ms, SAFETY_NET_MS));
    this.timer.unref();
  }
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string; final?: boolean };

/** fetch's "fetch failed" hides the reason (refused, DNS…) in its cause. */
function causeOf(e: Error): string {
  const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause ? `${e.message}: ${cause.code ?? cause.message ?? ''}`.trim() : e.message;
}
