/**
 * Limits (software licenses and the like) as counters that gate whole layers: when a limit
 * fills, every layer using it leaves the queues at once; when it has room again they return.
 * That keeps host passes from re-checking limits frame by frame.
 */
import type { Farm, LimitState } from './farm';
import { syncLayer } from './queues';

export function setLimit(farm: Farm, limit: LimitState, inUse: number, max = limit.max): void {
  limit.inUse = inUse;
  limit.max = max;
  const full = inUse >= max;
  if (full === limit.full) return;
  limit.full = full;
  for (const layer of limit.users) {
    layer.blockedLimits += full ? 1 : -1;
    syncLayer(layer, farm.hostStamp);
  }
}
