/**
 * Why a layer's ready frames were not booked, as a stable code and a sentence a wrangler can
 * act on. Checked in the order a person would fix things: the job itself, tags and
 * subscriptions, hosts that could never hold it, limits, the show's burst, then what is free.
 * Host figures are aggregated per host class once, so reasons for every layer of a large farm
 * cost little more than the layers themselves.
 */
import { type Farm, type HostClass, isUsable, type LayerState, layerMatchesClass, type SubState } from './farm';
import * as fmt from './format';
import type { UnbookedCode } from './types';

export interface Reason {
  code: UnbookedCode;
  reason: string;
}

interface Largest {
  value: number;
  hosts: number;
}

/** What the usable hosts of one class hold now, and at most. */
export interface ClassFigures {
  usable: number;
  /** Hosts not UP or locked, by state/lock word. */
  unusable: Map<string, number>;
  total: { cores: number; memoryMb: number; gpus: number; gpuMemoryMb: number };
  idle: { cores: Largest; memoryMb: Largest; gpus: Largest; gpuMemoryMb: Largest };
  atProcCap: number;
}

const bump = (l: Largest, v: number) => {
  if (v > l.value) {
    l.value = v;
    l.hosts = 1;
  } else if (v === l.value) l.hosts++;
};

export function classFigures(farm: Farm, cls: HostClass): ClassFigures {
  const f: ClassFigures = {
    usable: 0,
    unusable: new Map(),
    total: { cores: 0, memoryMb: 0, gpus: 0, gpuMemoryMb: 0 },
    idle: {
      cores: { value: -1, hosts: 0 },
      memoryMb: { value: -1, hosts: 0 },
      gpus: { value: -1, hosts: 0 },
      gpuMemoryMb: { value: -1, hosts: 0 },
    },
    atProcCap: 0,
  };
  const cap = farm.options.maxProcsPerHost;
  for (const host of cls.hosts) {
    const s = host.snap;
    if (!isUsable(s)) {
      const word = s.state !== 'UP' ? s.state : s.lock;
      f.unusable.set(word, (f.unusable.get(word) ?? 0) + 1);
      continue;
    }
    f.usable++;
    f.total.cores = Math.max(f.total.cores, Math.round(s.cores * 100));
    f.total.memoryMb = Math.max(f.total.memoryMb, s.memoryMb);
    f.total.gpus = Math.max(f.total.gpus, s.gpus);
    f.total.gpuMemoryMb = Math.max(f.total.gpuMemoryMb, s.gpuMemoryMb);
    bump(f.idle.cores, host.idleCores);
    bump(f.idle.memoryMb, host.idleMemoryMb);
    bump(f.idle.gpus, host.idleGpus.length);
    bump(f.idle.gpuMemoryMb, host.idleGpuMemoryMb);
    if (cap > 0 && host.procCount >= cap) f.atProcCap++;
  }
  return f;
}

export class ReasonBook {
  private readonly figures = new Map<HostClass, ClassFigures>();
  /** Layers alike in show, tags, shape, limits and name get the same reason: computed once. */
  private readonly byKind = new Map<string, Reason>();

  constructor(private readonly farm: Farm) {}

  figuresOf(cls: HostClass): ClassFigures {
    let f = this.figures.get(cls);
    if (!f) {
      f = classFigures(this.farm, cls);
      this.figures.set(cls, f);
    }
    return f;
  }

  /** Why the layer's next ready frame is not booked now. */
  forLayer(layer: LayerState): Reason {
    const job = layer.job;
    if (job.paused) return { code: 'JOB_PAUSED', reason: `job '${job.snap.name}' is paused` };
    if (job.capped)
      return {
        code: 'PASS_CAP',
        reason: `job '${job.snap.name}' booked its ${fmt.count(this.farm.options.maxFramesPerJobPerPass)} frames for this pass; the rest wait for the next pass`,
      };
    let reason = this.byKind.get(layer.kind);
    if (!reason) {
      reason = this.forKind(layer);
      this.byKind.set(layer.kind, reason);
    }
    return reason;
  }

  private forKind(layer: LayerState): Reason {
    const show = layer.job.show;
    const tagWords = `tagged ${fmt.either(layer.tags)}`;
    const matching = this.farm.classes.filter((cls) => layerMatchesClass(layer.tags, cls));
    if (matching.length === 0) return { code: 'NO_HOST_MATCHES', reason: `no host is ${tagWords} (layer '${layer.snap.name}')` };
    const subscribed = matching.filter((cls) => show.subs.has(cls.alloc.snap.id));
    if (subscribed.length === 0) {
      const allocs = matching.map((c) => c.alloc.snap.name);
      return {
        code: 'NO_SUBSCRIPTION',
        reason: `show '${show.snap.name}' does not subscribe to ${fmt.either(allocs)}, where the hosts ${tagWords} are`,
      };
    }
    const usable = subscribed.filter((cls) => this.figuresOf(cls).usable > 0);
    const allocNames = (classes: HostClass[]) => fmt.either(classes.map((c) => c.alloc.snap.name));
    if (usable.length === 0) return { code: 'NO_HOST_MATCHES', reason: this.noUsableHost(subscribed, tagWords) };
    return this.capacity(layer, usable, allocNames) ?? this.limitsAndBurst(layer, usable) ?? this.freeResources(layer, usable, allocNames);
  }

  private noUsableHost(classes: HostClass[], tagWords: string): string {
    const down = new Map<string, number>();
    for (const cls of classes) for (const [word, n] of this.figuresOf(cls).unusable) down.set(word, (down.get(word) ?? 0) + n);
    const detail = [...down].map(([word, n]) => `${fmt.count(n)} ${word}`).join(', ');
    return `no UP, unlocked host ${tagWords} in ${fmt.either(classes.map((c) => c.alloc.snap.name))}${detail ? ` (${detail})` : ''}`;
  }

  private capacity(layer: LayerState, classes: HostClass[], names: (c: HostClass[]) => string): Reason | undefined {
    const shape = layer.shape;
    const max = (pick: (f: ClassFigures) => number) => Math.max(...classes.map((c) => pick(this.figuresOf(c))));
    const checks: [number, number, (n: number) => string, string][] = [
      [shape.minCores, max((f) => f.total.cores), fmt.cores, ''],
      [shape.memoryMb, max((f) => f.total.memoryMb), fmt.memory, ' of memory'],
      [shape.gpus, max((f) => f.total.gpus), fmt.gpus, ''],
      [shape.gpuMemoryMb, max((f) => f.total.gpuMemoryMb), fmt.memory, ' of GPU memory'],
    ];
    for (const [need, largest, show, what] of checks) {
      if (need > largest)
        return {
          code: 'NO_HOST_MATCHES',
          reason: `no UP host in ${names(classes)} has ${show(need)}${what} (largest: ${show(largest)}); layer '${layer.snap.name}' can never run there`,
        };
    }
    return undefined;
  }

  private limitsAndBurst(layer: LayerState, classes: HostClass[]): Reason | undefined {
    for (const limit of layer.limits)
      if (limit.inUse >= limit.max)
        return { code: 'LIMIT_REACHED', reason: `limit '${limit.snap.name}' is at ${fmt.count(limit.inUse)}/${fmt.count(limit.max)}` };
    const show = layer.job.show;
    const subs = [...new Set(classes.map((c) => show.subs.get(c.alloc.snap.id) as SubState))];
    if (subs.every((sub) => sub.inUse + layer.minCores > sub.burst)) {
      const parts = subs.map((sub) => `${fmt.cores(sub.burst)} in '${sub.alloc.snap.name}'`);
      return { code: 'SHOW_AT_BURST', reason: `show '${show.snap.name}' is at its burst of ${parts.join(' and of ')}` };
    }
    return undefined;
  }

  private freeResources(layer: LayerState, all: HostClass[], names: (c: HostClass[]) => string): Reason {
    const show = layer.job.show;
    const classes = all.filter((c) => {
      const sub = show.subs.get(c.alloc.snap.id) as SubState;
      return sub.inUse + layer.minCores <= sub.burst;
    });
    const largest = (pick: (f: ClassFigures) => Largest): Largest => {
      const l = { value: -1, hosts: 0 };
      for (const c of classes) {
        const v = pick(this.figuresOf(c));
        if (v.value > l.value) Object.assign(l, v);
        else if (v.value === l.value) l.hosts += v.hosts;
      }
      return l;
    };
    const where = names(classes);
    const shape = layer.shape;
    const checks: [number, (f: ClassFigures) => Largest, (n: number) => string, string][] = [
      [shape.gpus, (f) => f.idle.gpus, fmt.gpus, ''],
      [shape.gpuMemoryMb, (f) => f.idle.gpuMemoryMb, fmt.memory, ' of GPU memory'],
      [shape.memoryMb, (f) => f.idle.memoryMb, fmt.memory, ''],
    ];
    for (const [need, pick, show, what] of checks) {
      const l = largest(pick);
      if (need > l.value)
        return {
          code: 'NO_HOST_HAS_RESOURCES',
          reason: `no UP host in ${where} has ${show(need)}${what} free (largest free: ${show(l.value)} on ${fmt.hosts(l.hosts)})`,
        };
    }
    const free = largest((f) => f.idle.cores);
    if (shape.minCores > free.value)
      return {
        code: 'FARM_FULL',
        reason: `every UP host in ${where} that can run layer '${layer.snap.name}' is busy: none has ${fmt.cores(shape.minCores)} free (largest free: ${fmt.cores(free.value)} on ${fmt.hosts(free.hosts)})`,
      };
    const cap = this.farm.options.maxProcsPerHost;
    if (cap > 0 && classes.some((c) => this.figuresOf(c).atProcCap > 0))
      return { code: 'PASS_CAP', reason: `hosts in ${where} with room already run ${fmt.count(cap)} procs, the cap per host` };
    return {
      code: 'NO_HOST_HAS_RESOURCES',
      reason: `no UP host in ${where} has ${fmt.cores(shape.minCores)} and ${fmt.memory(shape.memoryMb)}${shape.gpus ? ` and ${fmt.gpus(shape.gpus)}` : ''} free at once`,
    };
  }
}
