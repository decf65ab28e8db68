/**
 * Folding live job deltas into the jobs list the grid shows: each delta replaces the state,
 * pause, priority and frame counts of its row. Deltas for jobs the list does not hold are
 * returned, so the page can read the list again (a new submission) or ignore them (a job
 * the current filter hides).
 */
import { FRAME_STATES, type JobDelta } from '@farmhand/contracts';
import type { JobRow } from '../server/services/jobs';
import { mergeDeltasById } from './mergeDeltas';

export function mergeJobDeltas(rows: readonly JobRow[], deltas: readonly JobDelta[]): { rows: JobRow[]; unknown: string[] } {
  return mergeDeltasById(rows, deltas, (row, d) => {
    const counts = d.counts ?? row.counts;
    return {
      ...row,
      state: d.state,
      paused: d.paused,
      priority: d.priority,
      counts,
      totalFrames: FRAME_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0),
    };
  });
}
