/**
 * Folding live host deltas into the hosts list: state, lock, idle cores and last report.
 * Deltas for hosts the list does not hold (a host that just registered) are returned.
 */
import type { HostDelta, HostLock, HostState } from '@farmhand/contracts';
import type { HostRow } from '../server/services/hosts';
import { mergeDeltasById } from './mergeDeltas';

export function mergeHostDeltas(rows: readonly HostRow[], deltas: readonly HostDelta[]): { rows: HostRow[]; unknown: string[] } {
  return mergeDeltasById(rows, deltas, (row, d) => ({
    ...row,
    state: d.state as HostState,
    lock: d.lock as HostLock,
    cores: d.cores,
    idleCores: d.idleCores,
    lastReportAt: d.lastReportAt,
  }));
}
