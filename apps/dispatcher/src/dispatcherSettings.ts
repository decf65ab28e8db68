/**
 * The dispatcher's own settings, beside the shared ones (`loadSettings`): how long a launch may
 * stay unconfirmed, and how long a frame may be missing from its host's reports, before it goes
 * back to WAITING. Read and validated once at start.
 */
import { z } from 'zod';
import type { WatchTimings } from './hostWatch';

const seconds = z.coerce.number().positive();

const schema = z.object({
  /** A booked frame whose start its host has not confirmed in this time goes back to WAITING (default 60). */
  FARMHAND_SETUP_TIMEOUT_S: seconds.optional(),
  /** A frame its host stops listing goes back to WAITING after this long without its completion (default 30). */
  FARMHAND_LOST_FRAME_GRACE_S: seconds.optional(),
  /** A frame's failures that raise the `frame.failed` event (default 3). */
  FARMHAND_FRAME_FAILED_EVENT_AFTER: z.coerce.number().int().positive().optional(),
  /** Wait before a webhook delivery's second try, doubling after each (default 10). */
  FARMHAND_WEBHOOK_BACKOFF_S: seconds.optional(),
  /** Tries before a webhook delivery is FAILED (default 8). */
  FARMHAND_WEBHOOK_MAX_TRIES: z.coerce.number().int().positive().optional(),
});

/** Host-watch timings, farm events and webhook retries, from the environment (one parse; an invalid value is an error naming it). */
export function loadDispatcherSettings(env: Record<string, string | undefined>): {
  timings: Partial<Omit<WatchTimings, 'hostTimeoutS'>>;
  events: { frameFailedAfter?: number; backoffMs?: number; maxTries?: number };
} {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`dispatcher settings are not valid: ${problems}`);
  }
  const p = parsed.data;
  return {
    timings: {
      ...(p.FARMHAND_SETUP_TIMEOUT_S !== undefined && { setupTimeoutMs: p.FARMHAND_SETUP_TIMEOUT_S * 1000 }),
      ...(p.FARMHAND_LOST_FRAME_GRACE_S !== undefined && { lostFrameGraceMs: p.FARMHAND_LOST_FRAME_GRACE_S * 1000 }),
    },
    events: {
      ...(p.FARMHAND_FRAME_FAILED_EVENT_AFTER !== undefined && { frameFailedAfter: p.FARMHAND_FRAME_FAILED_EVENT_AFTER }),
      ...(p.FARMHAND_WEBHOOK_BACKOFF_S !== undefined && { backoffMs: p.FARMHAND_WEBHOOK_BACKOFF_S * 1000 }),
      ...(p.FARMHAND_WEBHOOK_MAX_TRIES !== undefined && { maxTries: p.FARMHAND_WEBHOOK_MAX_TRIES }),
    },
  };
}
