/** @farmhand/sdk: Farmhand's REST API for pipeline code, typed from the shared contracts. */

/** For webhook receivers: check a delivery's `farmhand-signature` header (HMAC-SHA256, timestamped against replays). */
export { signWebhook, verifyWebhook, WEBHOOK_HEADERS, WEBHOOK_TOLERANCE_S, type WebhookBody } from '@farmhand/contracts';
export {
  FarmhandApiError,
  FarmhandClient,
  type FarmhandClientOptions,
  type FramesFilter,
  type HostsFilter,
  type JobsFilter,
  type LogChunk,
} from './client';
