/**
 * Small builders for scheduler test data: each takes only what a case is about and fills
 * the rest with an ordinary render farm's defaults (UP, unlocked, 8 cores, 32 GB, no GPU).
 */
import type {
  AllocationSnapshot,
  FarmSnapshot,
  HostSnapshot,
  JobSnapshot,
  LayerSnapshot,
  LimitSnapshot,
  ReadyFrame,
  ShowSnapshot,
  SubscriptionSnapshot,
} from '../src';

export const GB = 1024;

export const allocation = (id: string, tag: string): AllocationSnapshot => ({ id, name: id, tag });

export const DEFAULT_ALLOCATIONS = [allocation('lax.general', 'general'), allocation('lax.gpu', 'gpu')];

type HostOptions = Partial<HostSnapshot> & { busyCores?: number; busyMemoryMb?: number };

export function host(id: string, o: HostOptions = {}): HostSnapshot {
  const { busyCores = 0, busyMemoryMb = 0, ...rest } = o;
  const cores = o.cores ?? 8;
  const memoryMb = o.memoryMb ?? 32 * GB;
  const gpus = o.gpus ?? 0;
  const gpuMemoryMb = o.gpuMemoryMb ?? gpus * 16 * GB;
  return {
    id,
    name: id,
    allocationId: 'lax.general',
    state: 'UP',
    lock: 'OPEN',
    tags: [],
    cores,
    idleCores: cores - busyCores,
    memoryMb,
    idleMemoryMb: memoryMb - busyMemoryMb,
    gpus,
    idleGpus: Array.from({ length: gpus }, (_, i) => i),
    gpuMemoryMb,
    idleGpuMemoryMb: gpuMemoryMb,
    procCount: 0,
    ...rest,
  };
}

/** `subs`: allocation id → [size, burst, cores in use]. */
export function show(id: string, subs: Record<string, [number, number, number?]>, o: Partial<ShowSnapshot> = {}): ShowSnapshot {
  const subscriptions: SubscriptionSnapshot[] = Object.entries(subs).map(([allocationId, [size, burst, coresInUse = 0]]) => ({
    allocationId,
    size,
    burst,
    coresInUse,
  }));
  return { id, name: id, mode: 'PRIORITY_ONLY', subscriptions, ...o };
}

export function job(id: string, showId: string, o: Partial<JobSnapshot> = {}): JobSnapshot {
  return { id, name: id, showId, priority: 100, paused: false, submittedAt: 1_000, excludedHostIds: [], coresInUse: 0, ...o };
}

export function layer(id: string, jobId: string, o: Partial<LayerSnapshot> = {}): LayerSnapshot {
  return {
    id,
    jobId,
    name: id,
    minCores: 1,
    maxCores: 0,
    threadable: false,
    memoryMb: 1 * GB,
    gpus: 0,
    gpuMemoryMb: 0,
    tags: [],
    limits: [],
    ...o,
  };
}

export const limit = (id: string, max: number, inUse = 0): LimitSnapshot => ({ id, name: id, max, inUse });

/** Frames `first`..`first+count-1` of a layer, dispatch order = frame id. */
export function frames(layerId: string, first: number, count: number): ReadyFrame[] {
  return Array.from({ length: count }, (_, i) => ({ id: first + i, layerId, order: first + i }));
}

export function farm(parts: Partial<FarmSnapshot>): FarmSnapshot {
  return {
    now: 1_700_000_000_000,
    hosts: [],
    allocations: DEFAULT_ALLOCATIONS,
    shows: [],
    jobs: [],
    layers: [],
    frames: [],
    limits: [],
    ...parts,
  };
}

/** A one-show, one-job farm: the usual shape of a case about one rule. */
export function simpleFarm(o: {
  hosts?: HostSnapshot[];
  layer?: Partial<LayerSnapshot>;
  job?: Partial<JobSnapshot>;
  frames?: number;
  sub?: [number, number, number?];
  limits?: LimitSnapshot[];
  options?: FarmSnapshot['options'];
}): FarmSnapshot {
  return farm({
    hosts: o.hosts ?? [host('h1')],
    shows: [show('ab', { 'lax.general': o.sub ?? [1000, 1000], 'lax.gpu': o.sub ?? [1000, 1000] })],
    jobs: [job('j1', 'ab', o.job)],
    layers: [layer('render', 'j1', o.layer)],
    frames: frames('render', 1, o.frames ?? 100),
    limits: o.limits ?? [],
    options: o.options,
  });
}
