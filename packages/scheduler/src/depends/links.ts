/**
 * Frame-to-frame links of FRAME_BY_FRAME and PREVIOUS_FRAME, including between layers of
 * different chunk sizes: a depender row waits for every on-layer row (chunk) that renders
 * any of its frame numbers. A frame number the on-layer does not render holds nothing.
 */
import type { DependRec, FrameNode, LayerNode } from './nodes';

/** FRAME_BY_FRAME: the rows of `on` that render any of `d`'s frame numbers. */
export function frameByFrameTargets(d: FrameNode, on: LayerNode): FrameNode[] {
  const targets: FrameNode[] = [];
  for (const n of d.numbers) {
    const t = on.byNumber.get(n);
    if (t && t !== d && !targets.includes(t)) targets.push(t);
  }
  return targets;
}

/** PREVIOUS_FRAME: the row of `on` rendering the frame number just before `d`'s first. */
export function previousFrameTarget(d: FrameNode, on: LayerNode): FrameNode | undefined {
  let first = Number.POSITIVE_INFINITY;
  for (const n of d.numbers) first = Math.min(first, n);
  const numbers = on.numbers;
  let lo = 0;
  let hi = numbers.length; // first index with numbers[i] >= first
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((numbers[mid] as number) < first) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return undefined;
  const t = on.byNumber.get(numbers[lo - 1] as number);
  return t === d ? undefined : t;
}

/** Links each depender row to its targets; returns the rows that now wait on something. */
export function link(rec: DependRec, depender: LayerNode, on: LayerNode, previous: boolean): FrameNode[] {
  const held: FrameNode[] = [];
  for (const d of depender.frames) {
    if (d.done) continue;
    const targets = previous ? [previousFrameTarget(d, on)] : frameByFrameTargets(d, on);
    for (const t of targets) {
      if (!t || t.done) continue;
      const edge = { rec, from: t, to: d, open: true };
      t.out.push(edge);
      d.in.push(edge);
      rec.edges.push(edge);
      rec.openEdges++;
      d.blocks++;
      if (d.blocks === 1) held.push(d);
    }
  }
  return held;
}
