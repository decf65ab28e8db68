/**
 * The depend graph the dispatcher keeps in memory: which frames wait, and which become ready
 * when a frame, layer or job finishes. Built once per job; every answer costs time in
 * proportion to what it releases, not to the size of the job (counters, not rescans).
 */
import { AppError } from '@farmhand/contracts';
import { describeBlockers, describeHeld } from './describe';
import { DEPEND_KINDS } from './kinds';
import { link } from './links';
import { type DependRec, type Edge, type FrameNode, frameReady, framesUnder, type JobNode, type LayerNode, type Node } from './nodes';
import type { Blocker, Depend, DependAdded, DependJobInput } from './types';

function refuse(message: string): never {
  throw new AppError('VALIDATION', message);
}

const contains = (outer: Node, inner: Node): boolean =>
  outer === inner ||
  (outer.kind === 'job' && (inner.kind === 'layer' ? inner.job === outer : inner.kind === 'frame' && inner.layer.job === outer)) ||
  (outer.kind === 'layer' && inner.kind === 'frame' && inner.layer === outer);

export class DependGraph {
  private readonly jobs = new Map<string, JobNode>();
  private readonly layers = new Map<string, LayerNode>();
  private readonly frames = new Map<number, FrameNode>();
  private readonly depends = new Map<string, DependRec>();

  /** Registers a job's layers and rows. Rows marked done count as finished already. */
  addJob(input: DependJobInput): void {
    if (this.jobs.has(input.id)) refuse(`job '${input.name}' (${input.id}) is already in the depend graph`);
    const job: JobNode = {
      kind: 'job',
      id: input.id,
      name: input.name,
      layers: [],
      remaining: 0,
      blocks: 0,
      anyDone: false,
      waiters: [],
      anyWaiters: [],
      heldBy: [],
    };
    for (const l of input.layers) {
      if (this.layers.has(l.id)) refuse(`layer '${l.name}' (${l.id}) is already in the depend graph`);
      const layer: LayerNode = {
        kind: 'layer',
        id: l.id,
        name: l.name,
        job,
        frames: [],
        byNumber: new Map(),
        numbers: [],
        remaining: 0,
        blocks: 0,
        anyDone: false,
        waiters: [],
        anyWaiters: [],
        heldBy: [],
      };
      for (const f of l.frames) {
        if (this.frames.has(f.id)) refuse(`frame ${f.id} of layer '${l.name}' is already in the depend graph`);
        const frame: FrameNode = {
          kind: 'frame',
          id: f.id,
          numbers: f.numbers,
          layer,
          done: !!f.done,
          blocks: 0,
          waiters: [],
          heldBy: [],
          out: [],
          in: [],
        };
        layer.frames.push(frame);
        for (const n of f.numbers) {
          layer.byNumber.set(n, frame);
          layer.numbers.push(n);
        }
        this.frames.set(f.id, frame);
        if (frame.done) layer.anyDone = job.anyDone = true;
        else layer.remaining++;
      }
      layer.numbers.sort((a, b) => a - b);
      job.remaining += layer.remaining;
      job.layers.push(layer);
    }
    this.jobs.set(job.id, job);
    for (const layer of job.layers) this.layers.set(layer.id, layer);
  }

  /** Adds a depend; a depend on something already finished holds nothing. */
  add(depend: Depend): DependAdded {
    if (this.depends.has(depend.id)) refuse(`depend '${depend.id}' is already in the depend graph`);
    const kinds = DEPEND_KINDS[depend.type];
    if (!kinds) refuse(`depend '${depend.id}' has unknown type '${String(depend.type)}'`);
    const depender = this.node(depend, 'waits', kinds.depender, depend.depender);
    const target = this.node(depend, 'waits on', kinds.on, depend.on);
    if (!kinds.perFrame && (contains(depender, target) || contains(target, depender)))
      refuse(`depend '${depend.id}' (${depend.type}) would make ${depender.kind} '${this.label(depender)}' wait on itself`);
    const rec: DependRec = { spec: depend, active: true, depender, target, edges: [], openEdges: 0 };
    this.depends.set(depend.id, rec);
    if (kinds.perFrame) {
      const held = link(rec, depender as LayerNode, target as LayerNode, depend.type === 'PREVIOUS_FRAME');
      rec.active = rec.edges.length > 0;
      return { id: depend.id, blocked: held.filter((f) => f.layer.blocks === 0 && f.layer.job.blocks === 0).map((f) => f.id) };
    }
    if (this.finished(target, !!depend.anyFrame)) {
      rec.active = false;
      return { id: depend.id, blocked: [] };
    }
    if (target.kind === 'frame') target.waiters.push(rec);
    else (depend.anyFrame ? target.anyWaiters : target.waiters).push(rec);
    return { id: depend.id, blocked: this.hold(depender, rec) };
  }

  /** A wrangler satisfies a depend by hand: what it held may run. Returns frames released. */
  satisfy(dependId: string): number[] {
    const rec = this.depends.get(dependId) ?? refuse(`depend '${dependId}' is not in the depend graph`);
    const released: number[] = [];
    this.satisfyRec(rec, released);
    return released;
  }

  isBlocked(frameId: number): boolean {
    const f = this.frames.get(frameId);
    return !!f && !f.done && (f.blocks > 0 || f.layer.blocks > 0 || f.layer.job.blocks > 0);
  }

  /** What the frame waits on, in words ("waiting on layer 'sim' frames 1-10"). */
  blockers(frameId: number): Blocker[] {
    const f = this.frames.get(frameId);
    return f ? describeBlockers(f) : [];
  }

  /** What a layer's unfinished frames wait on, one line per depend. */
  layerBlockers(layerId: string): Blocker[] {
    const layer = this.layers.get(layerId);
    return layer ? describeHeld([layer]) : [];
  }

  /** What a job's unfinished frames wait on, one line per depend. */
  jobBlockers(jobId: string): Blocker[] {
    const job = this.jobs.get(jobId);
    return job ? describeHeld(job.layers) : [];
  }

  /** A frame SUCCEEDED or was EATEN: the frames that now become ready. */
  onFrameDone(frameId: number): number[] {
    const f = this.frames.get(frameId) ?? refuse(`frame ${frameId} is not in the depend graph`);
    const released: number[] = [];
    this.frameDone(f, released);
    return released;
  }

  /** Every frame of the layer finished or was eaten. */
  onLayerDone(layerId: string): number[] {
    const layer = this.layers.get(layerId) ?? refuse(`layer '${layerId}' is not in the depend graph`);
    const released: number[] = [];
    for (const f of layer.frames) this.frameDone(f, released);
    return this.stillReady(released);
  }

  /** The job finished, or was killed (OpenCue releases what waited on a killed job). */
  onJobDone(jobId: string): number[] {
    const job = this.jobs.get(jobId) ?? refuse(`job '${jobId}' is not in the depend graph`);
    const released: number[] = [];
    for (const layer of job.layers) for (const f of layer.frames) this.frameDone(f, released);
    return this.stillReady(released);
  }

  /** Finishing many frames at once may release a frame and then finish it too: drop those. */
  private stillReady(released: number[]): number[] {
    return released.filter((id) => !this.frames.get(id)?.done);
  }

  /** Forgets a finished job (releasing anything still waiting on it) to bound memory. */
  removeJob(jobId: string): number[] {
    const job = this.jobs.get(jobId);
    if (!job) return [];
    const released = this.onJobDone(jobId);
    for (const layer of job.layers) {
      for (const f of layer.frames) this.frames.delete(f.id);
      this.layers.delete(layer.id);
    }
    this.jobs.delete(jobId);
    for (const [id, rec] of this.depends)
      if (!rec.active && (contains(job, rec.depender) || contains(job, rec.target))) this.depends.delete(id);
    return released.filter((id) => this.frames.has(id));
  }

  private node(d: Depend, role: string, kind: 'job' | 'layer' | 'frame', key: string | number): Node {
    const found =
      kind === 'frame' ? this.frames.get(Number(key)) : kind === 'layer' ? this.layers.get(String(key)) : this.jobs.get(String(key));
    return found ?? refuse(`depend '${d.id}' (${d.type}) ${role} ${kind} '${key}', which is not in the depend graph; add its job first`);
  }

  private label(node: Node): string {
    return node.kind === 'frame' ? `${node.numbers[0]} of layer '${node.layer.name}'` : node.name;
  }

  private finished(target: Node, anyFrame: boolean): boolean {
    if (target.kind === 'frame') return target.done;
    return anyFrame ? target.anyDone : target.remaining === 0;
  }

  /** Holds a job, layer or frame; returns the frames that were ready and now wait. */
  private hold(node: Node, rec: DependRec): number[] {
    const blocked: number[] = [];
    if (node.blocks === 0) for (const f of framesUnder(node)) if (frameReady(f)) blocked.push(f.id);
    node.blocks++;
    node.heldBy.push(rec);
    return blocked;
  }

  private unhold(node: Node, rec: DependRec, released: number[]): void {
    node.blocks--;
    const i = node.heldBy.indexOf(rec);
    if (i >= 0) node.heldBy.splice(i, 1);
    if (node.blocks === 0) for (const f of framesUnder(node)) if (frameReady(f)) released.push(f.id);
  }

  private satisfyRec(rec: DependRec, released: number[]): void {
    if (!rec.active) return;
    if (rec.edges.length === 0) {
      rec.active = false;
      this.unhold(rec.depender, rec, released);
      return;
    }
    for (const edge of rec.edges) this.closeEdge(edge, released);
  }

  private closeEdge(edge: Edge, released: number[]): void {
    if (!edge.open) return;
    edge.open = false;
    edge.to.blocks--;
    if (frameReady(edge.to)) released.push(edge.to.id);
    if (--edge.rec.openEdges === 0) edge.rec.active = false;
  }

  private frameDone(f: FrameNode, released: number[]): void {
    if (f.done) return;
    f.done = true;
    for (const rec of f.waiters) this.satisfyRec(rec, released);
    f.waiters = [];
    for (const edge of f.out) this.closeEdge(edge, released);
    this.progress(f.layer, released);
    this.progress(f.layer.job, released);
  }

  private progress(node: LayerNode | JobNode, released: number[]): void {
    node.remaining--;
    if (!node.anyDone) {
      node.anyDone = true;
      for (const rec of node.anyWaiters) this.satisfyRec(rec, released);
      node.anyWaiters = [];
    }
    if (node.remaining === 0) {
      for (const rec of node.waiters) this.satisfyRec(rec, released);
      node.waiters = [];
    }
  }
}
