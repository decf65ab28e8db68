/**
 * The frames of one job as the job page holds them: loaded once from the server, then
 * changed by live frame deltas. Each delta batch yields the rows to hand the grid
 * (`applyTransactionAsync({ update })`) and keeps the counts by state, per layer and for the
 * job, and the time finished frames took, without walking every frame.
 */
import { FRAME_STATES, type FrameCounts, type FrameDelta } from '@farmhand/contracts';
import type { FrameRow } from '../server/services/jobs';

function emptyCounts(): FrameCounts {
  return Object.fromEntries(FRAME_STATES.map((s) => [s, 0])) as FrameCounts;
}

export class FrameStore {
  private readonly byId = new Map<number, FrameRow>();
  readonly jobCounts: FrameCounts = emptyCounts();
  readonly layerCounts = new Map<string, FrameCounts>();
  /** Grows with every batch that changed a frame: tells whether rows taken earlier are still current. */
  version = 0;
  /** Succeeded frames with a start and stop, and their seconds summed: the ETA's mean without walking every frame. */
  finished = { frames: 0, seconds: 0 };

  constructor(rows: readonly FrameRow[]) {
    for (const row of rows) {
      this.byId.set(row.id, row);
      this.count(row, 1);
    }
  }

  get(id: number): FrameRow | undefined {
    return this.byId.get(id);
  }

  /** Every frame as it is now, in the order first loaded. */
  rows(): FrameRow[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  /** Applies deltas; returns the changed rows (deltas for frames not held are skipped and counted). */
  apply(deltas: readonly FrameDelta[]): { updated: FrameRow[]; unknown: number } {
    const updated = new Map<number, FrameRow>();
    let unknown = 0;
    for (const d of deltas) {
      const row = this.byId.get(d.id);
      if (!row) {
        unknown++;
        continue;
      }
      // Attempts only grow: a delta of an earlier attempt than the row holds is older than the
      // read the row came from (it arrived while the read was in flight) and would take the
      // frame back to a state the server has left.
      if (d.attempt < row.attempt) continue;
      const next: FrameRow = {
        ...row,
        state: d.state,
        retries: d.retries,
        attempt: d.attempt,
        exitStatus: d.exitStatus,
        // A finished frame keeps showing the host it ran on.
        hostName: d.hostName ?? (d.state === 'WAITING' || d.state === 'DEPEND' ? null : row.hostName),
        startedAt: d.startedAt,
        stoppedAt: d.stoppedAt,
      };
      this.count(row, -1);
      this.count(next, 1);
      this.byId.set(d.id, next);
      updated.set(d.id, next);
    }
    if (updated.size > 0) this.version++;
    return { updated: [...updated.values()], unknown };
  }

  private count(row: FrameRow, by: 1 | -1): void {
    this.jobCounts[row.state] += by;
    let layer = this.layerCounts.get(row.layerId);
    if (!layer) {
      layer = emptyCounts();
      this.layerCounts.set(row.layerId, layer);
    }
    layer[row.state] += by;
    if (row.state === 'SUCCEEDED' && row.startedAt && row.stoppedAt) {
      this.finished.frames += by;
      this.finished.seconds += (by * (Date.parse(row.stoppedAt) - Date.parse(row.startedAt))) / 1000;
    }
  }
}
