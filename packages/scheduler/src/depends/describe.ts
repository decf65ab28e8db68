/** What a frame waits on, in the words of "why isn't my frame running?". */
import { formatFrameList } from '@farmhand/contracts';
import type { DependRec, FrameNode, LayerNode, Node } from './nodes';
import type { Blocker } from './types';

function remainingNumbers(layers: readonly LayerNode[]): number[] {
  const numbers: number[] = [];
  for (const layer of layers) for (const f of layer.frames) if (!f.done) numbers.push(...f.numbers);
  return numbers.sort((a, b) => a - b);
}

function ofJob(node: Node, from: FrameNode): string {
  const job = node.kind === 'job' ? node : node.kind === 'layer' ? node.job : node.layer.job;
  return job === from.layer.job ? '' : ` of job '${job.name}'`;
}

function describeTarget(rec: DependRec, from: FrameNode): string {
  const t = rec.target;
  const any = rec.spec.anyFrame ? 'any frame of ' : '';
  if (t.kind === 'frame') return `waiting on layer '${t.layer.name}'${ofJob(t, from)} frame ${formatFrameList(t.numbers)}`;
  if (t.kind === 'layer') {
    const left = rec.spec.anyFrame ? '' : ` frames ${formatFrameList(remainingNumbers([t]))}`;
    return `waiting on ${any}layer '${t.name}'${ofJob(t, from)}${left}`;
  }
  return `waiting on ${any}job '${t.name}'${rec.spec.anyFrame ? '' : ` (${t.remaining} frames still to finish)`}`;
}

export function describeBlockers(f: FrameNode): Blocker[] {
  if (f.done) return [];
  const out: Blocker[] = [];
  for (const rec of [...f.layer.job.heldBy, ...f.layer.heldBy, ...f.heldBy])
    out.push({ dependId: rec.spec.id, type: rec.spec.type, reason: describeTarget(rec, f) });
  const byRec = new Map<DependRec, number[]>();
  for (const edge of f.in) {
    if (!edge.open) continue;
    const numbers = byRec.get(edge.rec) ?? [];
    numbers.push(...edge.from.numbers);
    byRec.set(edge.rec, numbers);
  }
  for (const [rec, numbers] of byRec) {
    const on = rec.target as LayerNode;
    out.push({
      dependId: rec.spec.id,
      type: rec.spec.type,
      reason: `waiting on layer '${on.name}'${ofJob(on, f)} ${numbers.length === 1 ? 'frame' : 'frames'} ${formatFrameList(numbers.sort((a, b) => a - b))}`,
    });
  }
  return out;
}

/** What the frames of a layer (or of every layer of a job) wait on, merged per depend. */
export function describeHeld(layers: readonly LayerNode[]): Blocker[] {
  const out: Blocker[] = [];
  const seen = new Set<DependRec>();
  const edgeNumbers = new Map<DependRec, Set<number>>();
  for (const layer of layers) {
    const someFrame = layer.frames.find((f) => !f.done);
    if (!someFrame) continue;
    for (const rec of [...layer.job.heldBy, ...layer.heldBy]) {
      if (seen.has(rec)) continue;
      seen.add(rec);
      out.push({ dependId: rec.spec.id, type: rec.spec.type, reason: describeTarget(rec, someFrame) });
    }
    for (const f of layer.frames) {
      if (f.done) continue;
      for (const rec of f.heldBy) {
        if (seen.has(rec)) continue;
        seen.add(rec);
        out.push({ dependId: rec.spec.id, type: rec.spec.type, reason: `frame ${formatFrameList(f.numbers)} ${describeTarget(rec, f)}` });
      }
      for (const edge of f.in) {
        if (!edge.open) continue;
        const numbers = edgeNumbers.get(edge.rec) ?? new Set<number>();
        for (const n of edge.from.numbers) numbers.add(n);
        edgeNumbers.set(edge.rec, numbers);
      }
    }
  }
  for (const [rec, numbers] of edgeNumbers) {
    const on = rec.target as LayerNode;
    const list = [...numbers].sort((a, b) => a - b);
    out.push({
      dependId: rec.spec.id,
      type: rec.spec.type,
      reason: `waiting on layer '${on.name}'${on.job === (rec.depender as LayerNode).job ? '' : ` of job '${on.job.name}'`} ${list.length === 1 ? 'frame' : 'frames'} ${formatFrameList(list)}`,
    });
  }
  return out;
}
