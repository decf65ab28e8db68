/**
 * "Why isn't my job running?": runs the same pass the dispatcher would on the snapshot and
 * reports, for the job, layer or frame asked about, what would happen to each of its ready
 * frames and why the others wait — grouped into sentences a wrangler can act on. With the
 * dispatcher's depend graph it also says what frames that are not ready are waiting on.
 */
import type { DependGraph } from './depends';
import { frameAt } from './frameQueue';
import { ReasonBook } from './reasons';
import { Scheduler } from './scheduler';
import type { FarmSnapshot, UnbookedCode } from './types';

export type ExplainTarget = { jobId: string } | { layerId: string } | { frameId: number };

export type ExplainCode = UnbookedCode | 'WOULD_BOOK' | 'DEPEND' | 'NOT_READY';

export interface ExplainLine {
  code: ExplainCode;
  reason: string;
  /** How many of the target's frames this line is about (0 when it is about the whole target). */
  frames: number;
}

export interface Explanation {
  subject: string;
  lines: ExplainLine[];
}

function subjectOf(
  snapshot: FarmSnapshot,
  target: ExplainTarget,
): { subject: string; frameIds: Set<number>; layerIds: string[]; jobId?: string } {
  if ('frameId' in target) return { subject: `frame ${target.frameId}`, frameIds: new Set([target.frameId]), layerIds: [] };
  if ('layerId' in target) {
    const layer = snapshot.layers.find((l) => l.id === target.layerId);
    const frameIds = new Set(snapshot.frames.filter((f) => f.layerId === target.layerId).map((f) => f.id));
    return { subject: `layer '${layer?.name ?? target.layerId}'`, frameIds, layerIds: [target.layerId] };
  }
  const job = snapshot.jobs.find((j) => j.id === target.jobId);
  const layerIds = snapshot.layers.filter((l) => l.jobId === target.jobId).map((l) => l.id);
  const layerSet = new Set(layerIds);
  const frameIds = new Set(snapshot.frames.filter((f) => layerSet.has(f.layerId)).map((f) => f.id));
  return { subject: `job '${job?.name ?? target.jobId}'`, frameIds, layerIds, jobId: target.jobId };
}

function add(lines: ExplainLine[], code: ExplainCode, reason: string, frames: number): void {
  const same = lines.find((l) => l.code === code && l.reason === reason);
  if (same) same.frames += frames;
  else lines.push({ code, reason, frames });
}

/** Explains the target against the snapshot (and the depend graph, when given). */
export function explain(snapshot: FarmSnapshot, target: ExplainTarget, depends?: DependGraph): Explanation {
  const { subject, frameIds, layerIds, jobId } = subjectOf(snapshot, target);
  const lines: ExplainLine[] = [];
  if (frameIds.size > 0) {
    const scheduler = new Scheduler(snapshot);
    const plan = scheduler.schedule();
    const hosts = new Map<string, number>();
    for (const b of plan.bookings) if (frameIds.has(b.frameId)) hosts.set(b.hostId, (hosts.get(b.hostId) ?? 0) + 1);
    if (hosts.size > 0) {
      const count = [...hosts.values()].reduce((a, b) => a + b, 0);
      const names = [...hosts.keys()].slice(0, 3).map((h) => `'${snapshot.hosts.find((x) => x.id === h)?.name ?? h}'`);
      add(
        lines,
        'WOULD_BOOK',
        `${count === 1 ? '1 frame' : `${count} frames`} would start in the next pass, on ${names.join(', ')}${hosts.size > 3 ? ` and ${hosts.size - 3} more hosts` : ''}`,
        count,
      );
    }
    // Reasons straight from the layers, without building the farm-wide list of unbooked frames.
    const reasons = new ReasonBook(scheduler.farm);
    const frameLayerIds = 'frameId' in target ? snapshot.frames.filter((f) => f.id === target.frameId).map((f) => f.layerId) : layerIds;
    for (const layerId of frameLayerIds) {
      const layer = scheduler.farm.layersById.get(layerId);
      if (!layer || layer.frames.remaining === 0) continue;
      const left = layer.frames.left();
      let count = 0;
      for (let i = left.from; i < left.to; i++) if (frameIds.has(frameAt(left, i).id)) count++;
      if (count === 0) continue;
      const { code, reason } = reasons.forLayer(layer);
      add(lines, code, reason, count);
    }
  }
  if (depends) {
    const blockers =
      'frameId' in target
        ? depends.blockers(target.frameId)
        : jobId
          ? depends.jobBlockers(jobId)
          : layerIds.flatMap((id) => depends.layerBlockers(id));
    for (const b of blockers) add(lines, 'DEPEND', b.reason, 0);
  }
  if (lines.length === 0) {
    const orDepend = depends ? '' : ', or waiting on a depend';
    const text =
      'frameId' in target
        ? `${subject} is not waiting to run: it is running, finished, or not submitted${orDepend}`
        : `${subject} has no frames waiting to run: they are running, finished, or not submitted${orDepend}`;
    add(lines, 'NOT_READY', text, 0);
  }
  return { subject, lines };
}
