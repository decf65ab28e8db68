/**
 * Folding live host deltas into the hosts list: state, lock, idle cores and last report.
 * Deltas for hosts the list does not hold (a host that just registered) are returned.
 */
import type { HostDelta, HostLock, HostState } from '@farmhand/contracts';
import type { HostRow } from '../server/services/hosts';

export function mergeHostDeltas(rows: readonly HostRow[], deltas: readonly HostDelta[]): { rows: HostRow[]; unknown: string[] } {
  const byId = new Map(deltas.map((d) => [d.id, d]));
  const seen = new Set<string>();
  const next = rows.map((row) => {
    const d = byId.get(row.id);
    if (!d) return row;
    seen.add(row.id);
    return {
      ...row,
      state: d.state as HostState,
      lock: d.lock as HostLock,
      cores: d.cores,
      idleCores: d.idleCores,
      lastReportAt: d.lastReportAt,
    };
  });
  return { rows: next, unknown: [...byId.keys()].filter((id) => !seen.has(id)) };
}
