/**
 * Farm health for scripts and checks: the dispatcher's own health (or that it is
 * unreachable) and how many hosts are UP. `degraded` when the dispatcher is not active.
 */
import type { Database } from '../db';
import { dispatcherHealth, type HealthAnswer } from '../dispatcherClient';
import { countHostsUp } from './hosts';

export interface FarmHealth {
  status: 'ok' | 'degraded';
  dispatcher: HealthAnswer;
  hostsUp: number;
  database: 'ok' | 'unreachable';
}

export async function farmHealth(db: Database, dispatcherUrl: string): Promise<FarmHealth> {
  const [dispatcher, hostsUp] = await Promise.all([dispatcherHealth(dispatcherUrl), countHostsUp(db).catch(() => null)]);
  const healthy = dispatcher.state === 'active' && hostsUp !== null;
  return { status: healthy ? 'ok' : 'degraded', dispatcher, hostsUp: hostsUp ?? 0, database: hostsUp === null ? 'unreachable' : 'ok' };
}
