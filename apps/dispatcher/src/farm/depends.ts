/**
 * The depends of the jobs in memory: the scheduler package's DependGraph (every OpenCue depend
 * type, release in time proportional to what is released), plus which stored depend rows each
 * job, layer and frame is the target of, so a finished target marks its rows satisfied.
 */
import type { DependType } from '@farmhand/contracts';
import { DEPEND_KINDS, type Depend, DependGraph } from '@farmhand/scheduler';
import type { MemFrame, MemJob } from './model';

/** A stored depend row (the Depend table's columns the dispatcher reads). */
export interface DependRow {
  id: string;
  type: DependType;
  dependerJobId: string;
  dependerLayerId: string | null;
  dependerFrameId: number | null;
  onJobId: string;
  onLayerId: string | null;
  onFrameId: number | null;
}

const isDone = (f: MemFrame) => f.state === 'SUCCEEDED' || f.state === 'EATEN';

export class DependBook {
  readonly graph = new DependGraph();
  /** Active depend row ids by what they wait on: `job:<id>`, `layer:<id>`, `frame:<id>`. */
  private readonly byTarget = new Map<string, string[]>();

  /** Registers a job's layers and frames (frames already SUCCEEDED or EATEN count as done). */
  addJob(job: MemJob): void {
    const layers = job.layers.map((l) => ({ id: l.id, name: l.name, frames: [] as { id: number; numbers: number[]; done: boolean }[] }));
    const byLayer = new Map(layers.map((l) => [l.id, l.frames]));
    for (const f of job.frames.values()) byLayer.get(f.layerId)?.push({ id: f.id, numbers: f.frames, done: isDone(f) });
    this.graph.addJob({ id: job.id, name: job.name, layers });
  }

  /**
   * Adds a stored depend. Answers the frames it holds that were ready, or null when what it
   * waits on is not in memory any more (a finished job): such a depend holds nothing.
   */
  add(row: DependRow): number[] | null {
    const kinds = DEPEND_KINDS[row.type];
    const pick = (kind: 'job' | 'layer' | 'frame', job: string, layer: string | null, frame: number | null) =>
      kind === 'job' ? job : kind === 'layer' ? layer : frame;
    const depender = pick(kinds.depender, row.dependerJobId, row.dependerLayerId, row.dependerFrameId);
    const on = pick(kinds.on, row.onJobId, row.onLayerId, row.onFrameId);
    if (depender === null || on === null) return null;
    const depend: Depend = { id: row.id, type: row.type, depender, on };
    let blocked: number[];
    try {
      blocked = this.graph.add(depend).blocked;
    } catch {
      return null; // its target or depender is not in memory: finished, so it holds nothing
    }
    const key = kinds.on === 'job' ? `job:${on}` : kinds.on === 'layer' ? `layer:${on}` : `frame:${on}`;
    const list = this.byTarget.get(key);
    if (list) list.push(row.id);
    else this.byTarget.set(key, [row.id]);
    return blocked;
  }

  isBlocked(frameId: number): boolean {
    return this.graph.isBlocked(frameId);
  }

  /** A frame SUCCEEDED or was EATEN: the frame ids now ready. */
  frameDone(frameId: number): number[] {
    try {
      return this.graph.onFrameDone(frameId);
    } catch {
      return [];
    }
  }

  /** A job was killed or finished: what waited on it may run (OpenCue's rule); it is forgotten. */
  jobGone(jobId: string): number[] {
    return this.graph.removeJob(jobId);
  }

  /** Depend rows satisfied by this job, layer or frame finishing; each is answered once. */
  takeSatisfied(target: `job:${string}` | `layer:${string}` | `frame:${number}`): string[] {
    const ids = this.byTarget.get(target);
    if (!ids) return [];
    this.byTarget.delete(target);
    return ids;
  }
}
