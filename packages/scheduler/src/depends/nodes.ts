/**
 * The depend graph's nodes and the counters that make release cheap: every job, layer and
 * frame counts the unsatisfied depends that hold it. A frame is ready when its own count,
 * its layer's and its job's are all zero, so satisfying a depend touches only what it holds.
 */
import type { Depend } from './types';

export interface JobNode {
  kind: 'job';
  id: string;
  name: string;
  layers: LayerNode[];
  remaining: number;
  blocks: number;
  anyDone: boolean;
  /** Depends on this job (or on any frame of it). */
  waiters: DependRec[];
  anyWaiters: DependRec[];
  /** Depends holding this job. */
  heldBy: DependRec[];
}

export interface LayerNode {
  kind: 'layer';
  id: string;
  name: string;
  job: JobNode;
  frames: FrameNode[];
  /** Frame number → the row (chunk) that renders it. */
  byNumber: Map<number, FrameNode>;
  /** Every frame number of the layer, ascending (for PREVIOUS_FRAME). */
  numbers: number[];
  remaining: number;
  blocks: number;
  anyDone: boolean;
  waiters: DependRec[];
  anyWaiters: DependRec[];
  heldBy: DependRec[];
}

export interface FrameNode {
  kind: 'frame';
  id: number;
  numbers: readonly number[];
  layer: LayerNode;
  done: boolean;
  blocks: number;
  waiters: DependRec[];
  heldBy: DependRec[];
  /** Frame-by-frame links: frames waiting on this one, and frames this one waits on. */
  out: Edge[];
  in: Edge[];
}

export type Node = JobNode | LayerNode | FrameNode;

export interface DependRec {
  spec: Depend;
  active: boolean;
  /** For depends on one job, layer or frame: what waits. */
  depender: Node;
  target: Node;
  /** For FRAME_BY_FRAME and PREVIOUS_FRAME: one link per (on frame, depender frame). */
  edges: Edge[];
  openEdges: number;
}

export interface Edge {
  rec: DependRec;
  from: FrameNode;
  to: FrameNode;
  open: boolean;
}

export function frameReady(f: FrameNode): boolean {
  return !f.done && f.blocks === 0 && f.layer.blocks === 0 && f.layer.job.blocks === 0;
}

/** Frames of the node that are not done and not held by anything at their own level or below. */
export function* framesUnder(node: Node): Generator<FrameNode> {
  if (node.kind === 'frame') yield node;
  else if (node.kind === 'layer') yield* node.frames;
  else for (const layer of node.layers) yield* layer.frames;
}
