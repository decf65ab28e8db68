/**
 * Farm events (the outbox the dispatcher writes in the same transaction as the change that
 * causes them), what a webhook receives, how a delivery is signed, and the rows the web shows
 * for webhooks, deliveries and notifications. Defined once here: the dispatcher writes and
 * delivers, the web lists and tests, the SDK verifies signatures for receivers.
 */
import { z } from 'zod';

export const FARM_EVENT_KINDS = ['job.finished', 'job.dead_frames', 'frame.failed', 'host.down'] as const;
export const farmEventKindSchema = z.enum(FARM_EVENT_KINDS);
export type FarmEventKind = z.infer<typeof farmEventKindSchema>;

/** A kind only a webhook's "test" button sends; it never reaches notifications. */
export const WEBHOOK_TEST_KIND = 'webhook.test';

const jobRef = {
  jobId: z.string(),
  jobName: z.string(),
  show: z.string(),
  shot: z.string(),
  user: z.string(),
};

const countsSchema = z.object({ succeeded: z.number().int(), dead: z.number().int(), eaten: z.number().int(), total: z.number().int() });

/** Every frame is done: SUCCEEDED (all succeeded or eaten) or FAILED (some are DEAD). */
export const jobFinishedPayloadSchema = z.object({ ...jobRef, state: z.enum(['SUCCEEDED', 'FAILED']), counts: countsSchema });
/** A job's first DEAD frame (again after its dead frames were retried or eaten and one dies). */
export const jobDeadFramesPayloadSchema = z.object({
  ...jobRef,
  frameId: z.number().int(),
  layer: z.string(),
  frame: z.number().int(),
  exitStatus: z.number().int().nullable(),
});
/** A frame has failed `failures` times (the dispatcher's threshold, `FARMHAND_FRAME_FAILED_EVENT_AFTER`). */
export const frameFailedPayloadSchema = z.object({
  ...jobRef,
  frameId: z.number().int(),
  layer: z.string(),
  frame: z.number().int(),
  failures: z.number().int(),
  exitStatus: z.number().int().nullable(),
  dead: z.boolean(),
});
/** A host stopped reporting; `jobs` lists the jobs whose frames it ran (they went back to WAITING). */
export const hostDownPayloadSchema = z.object({
  hostId: z.string(),
  host: z.string(),
  reason: z.string(),
  jobs: z.array(z.object({ jobId: z.string(), jobName: z.string(), show: z.string(), user: z.string(), frames: z.number().int() })),
});

export const farmEventPayloadSchemas = {
  'job.finished': jobFinishedPayloadSchema,
  'job.dead_frames': jobDeadFramesPayloadSchema,
  'frame.failed': frameFailedPayloadSchema,
  'host.down': hostDownPayloadSchema,
} as const satisfies Record<FarmEventKind, z.ZodType>;

export type FarmEventPayload<K extends FarmEventKind> = z.infer<(typeof farmEventPayloadSchemas)[K]>;

/** What a webhook receives as its JSON body. */
export const webhookBodySchema = z.object({
  /** The farm event's id: a receiver that sees it twice (a retry after a lost answer) can drop the copy. */
  eventId: z.number().int(),
  kind: z.string(),
  createdAt: z.string(),
  data: z.unknown(),
});
export type WebhookBody = z.infer<typeof webhookBodySchema>;

/** Headers of every delivery. */
export const WEBHOOK_HEADERS = {
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the webhook's secret>`. */
  signature: 'farmhand-signature',
  event: 'farmhand-event',
  delivery: 'farmhand-delivery',
} as const;

/** A receiver refuses signatures older than this (replays). */
export const WEBHOOK_TOLERANCE_S = 300;

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Web Crypto (Node 20 and browsers alike), so contracts stay free of node: imports.
async function hmac(secret: string, text: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', key, enc.encode(text)));
}

/** The `farmhand-signature` header value for a body sent at `nowMs`. */
export async function signWebhook(secret: string, body: string, nowMs: number): Promise<string> {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${await hmac(secret, `${t}.${body}`)}`;
}

/** Why a delivery must be refused, or null when its signature is good and fresh. */
export async function verifyWebhook(
  secret: string,
  body: string,
  header: string | null | undefined,
  nowMs: number,
  toleranceS = WEBHOOK_TOLERANCE_S,
): Promise<string | null> {
  if (!header) return `the ${WEBHOOK_HEADERS.signature} header is missing`;
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return `the ${WEBHOOK_HEADERS.signature} header must read t=<seconds>,v1=<hex>`;
  if (Math.abs(nowMs / 1000 - t) > toleranceS)
    return `the signature is ${Math.round(nowMs / 1000 - t)} s old: more than ${toleranceS} s (a replay?)`;
  const expected = await hmac(secret, `${t}.${body}`);
  // Constant-time comparison: the time taken must not tell how much of a guess was right.
  let diff = expected.length ^ parts.v1.length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (parts.v1.charCodeAt(i) || 0);
  return diff === 0 ? null : 'the signature does not match the body';
}

const urlSchema = z
  .string()
  .trim()
  .url('url must be an http(s) URL such as https://hooks.example.com/farmhand')
  .refine((u) => /^https?:\/\//i.test(u), 'url must start with http:// or https://');

/** Creating a webhook: for the asking user's jobs, or (with `show`) for every job of that show. */
export const webhookCreateSchema = z.object({
  url: urlSchema,
  /** A show's name: the webhook hears of every job of the show; without it, of the asking user's jobs. */
  show: z.string().trim().min(1).optional(),
  events: z.array(farmEventKindSchema).min(1, `events must name at least one of ${FARM_EVENT_KINDS.join(', ')}`),
  /** Generated when not given (at least 16 characters). */
  secret: z.string().min(16, 'secret must be at least 16 characters').optional(),
});
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

export const webhookRowSchema = z.object({
  id: z.string(),
  owner: z.string(),
  show: z.string().nullable(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type WebhookRow = z.infer<typeof webhookRowSchema>;

/** Answered once, at creation: the secret the receiver verifies signatures with. */
export const webhookCreatedSchema = webhookRowSchema.extend({ secret: z.string() });

export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;

export const webhookDeliveryRowSchema = z.object({
  id: z.number().int(),
  webhookId: z.string(),
  eventId: z.number().int(),
  kind: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  tries: z.number().int(),
  responseStatus: z.number().int().nullable(),
  /** One line per failed try: when, the HTTP status or error, how long it took. */
  log: z.string().nullable(),
  nextTryAt: z.string(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type WebhookDeliveryRow = z.infer<typeof webhookDeliveryRowSchema>;

export const notificationRowSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationRow = z.infer<typeof notificationRowSchema>;

export const notificationsQuerySchema = z.object({
  unread: z.enum(['0', '1']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const markReadSchema = z.object({
  /** Notification ids; without it, every notification of the user. */
  ids: z.array(z.number().int()).optional(),
});

/** Pushed on `/live` to the room `user:<name>` whenever that user's notifications change. */
export interface NotificationsPush {
  unread: number;
  latest: NotificationRow | null;
}
