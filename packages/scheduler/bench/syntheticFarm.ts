/**
 * A deterministic synthetic studio farm from a seed, shaped like the benchmark:
 * 5,000 hosts (4,000 × 32 cores/128 GB, 900 × 96 cores/188 GB, 100 × 16 cores + 1 GPU/24 GB),
 * 5 allocations, 20 shows, 2,000 jobs × 5 layers, 1,000,000 ready frames, 10 limits.
 * `scale` 0.1 gives a tenth of everything.
 */
import type { FarmSnapshot, HostSnapshot, JobSnapshot, LayerSnapshot, LimitSnapshot, ReadyFrame, ShowSnapshot } from '../src';
import { pick, prng } from './prng';

const GB = 1024;

interface HostKind {
  count: number;
  allocationId: string;
  cores: number;
  memoryMb: number;
  gpus: number;
}

export function syntheticFarm(seed: number, scale = 1): FarmSnapshot {
  const rand = prng(seed);
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const allocations = [
    { id: 'lax.general', name: 'lax.general', tag: 'general' },
    { id: 'nyc.general', name: 'nyc.general', tag: 'general' },
    { id: 'lax.big', name: 'lax.big', tag: 'general' },
    { id: 'lax.sim', name: 'lax.sim', tag: 'sim' },
    { id: 'lax.gpu', name: 'lax.gpu', tag: 'gpu' },
  ];
  const kinds: HostKind[] = [
    { count: n(2500), allocationId: 'lax.general', cores: 32, memoryMb: 128 * GB, gpus: 0 },
    { count: n(1500), allocationId: 'nyc.general', cores: 32, memoryMb: 128 * GB, gpus: 0 },
    { count: n(300), allocationId: 'lax.big', cores: 96, memoryMb: 188 * GB, gpus: 0 },
    { count: n(600), allocationId: 'lax.sim', cores: 96, memoryMb: 188 * GB, gpus: 0 },
    { count: n(100), allocationId: 'lax.gpu', cores: 16, memoryMb: 24 * GB, gpus: 1 },
  ];
  const hosts: HostSnapshot[] = [];
  const allocCores = new Map<string, number>();
  for (const kind of kinds) {
    for (let i = 0; i < kind.count; i++) {
      const id = `${kind.allocationId}-${String(i).padStart(5, '0')}`;
      hosts.push({
        id,
        name: id,
        allocationId: kind.allocationId,
        state: rand() < 0.01 ? 'DOWN' : 'UP',
        lock: 'OPEN',
        tags: kind.cores === 32 && rand() < 0.1 ? ['nuke'] : [],
        cores: kind.cores,
        idleCores: kind.cores,
        memoryMb: kind.memoryMb,
        idleMemoryMb: kind.memoryMb,
        gpus: kind.gpus,
        idleGpus: kind.gpus ? [0] : [],
        gpuMemoryMb: kind.gpus * 24 * GB,
        idleGpuMemoryMb: kind.gpus * 24 * GB,
        procCount: 0,
      });
      allocCores.set(kind.allocationId, (allocCores.get(kind.allocationId) ?? 0) + kind.cores);
    }
  }

  const showCount = 20;
  const shows: ShowSnapshot[] = [];
  for (let s = 0; s < showCount; s++) {
    const subscribed = allocations.filter((a, i) => a.id === 'lax.general' || (s + i) % 2 === 0 || rand() < 0.3);
    shows.push({
      id: `show${String(s).padStart(2, '0')}`,
      name: `show${String(s).padStart(2, '0')}`,
      mode: s % 7 === 3 ? 'FIFO' : s % 7 === 5 ? 'BALANCED' : 'PRIORITY_ONLY',
      subscriptions: subscribed.map((a) => {
        const size = Math.round(((allocCores.get(a.id) ?? 0) / showCount) * (0.5 + rand()));
        return { allocationId: a.id, size, burst: size * 3, coresInUse: 0 };
      }),
    });
  }

  const limits: LimitSnapshot[] = Array.from({ length: 10 }, (_, i) => ({
    id: `lim${i}`,
    name: ['nuke', 'arnold', 'houdini', 'katana', 'maya', 'renderman', 'vray', 'redshift', 'karma', 'mantra'][i] as string,
    max: n(200 + Math.floor(rand() * 3000)),
    inUse: 0,
  }));

  const jobCount = n(2000);
  const framesPerLayer = 100;
  const jobs: JobSnapshot[] = [];
  const layers: LayerSnapshot[] = [];
  const frames: ReadyFrame[] = [];
  let frameId = 1;
  for (let j = 0; j < jobCount; j++) {
    const showId = (shows[j % showCount] as ShowSnapshot).id;
    const jobId = `job${String(j).padStart(5, '0')}`;
    jobs.push({
      id: jobId,
      name: jobId,
      showId,
      priority: pick(rand, [50, 100, 100, 100, 200, 500]),
      paused: rand() < 0.02,
      submittedAt: 1_700_000_000_000 + j * 1000,
      excludedHostIds: [],
      coresInUse: 0,
    });
    const gpuJob = rand() < 0.03;
    for (let l = 0; l < 5; l++) {
      const layerId = `${jobId}.l${l}`;
      const sim = !gpuJob && rand() < 0.1;
      const threadable = !gpuJob && rand() < 0.05;
      layers.push({
        id: layerId,
        jobId,
        name: ['prep', 'sim', 'render', 'comp', 'preview'][l] as string,
        minCores: gpuJob ? 2 : sim ? pick(rand, [8, 16]) : pick(rand, [1, 1, 2, 2, 4, 4, 8]),
        maxCores: threadable ? 16 : 0,
        threadable,
        memoryMb: gpuJob ? 8 * GB : pick(rand, [2, 4, 4, 8, 8, 16, 32]) * GB,
        gpus: gpuJob ? 1 : 0,
        gpuMemoryMb: gpuJob ? 12 * GB : 0,
        tags: gpuJob ? ['gpu'] : sim ? ['sim'] : rand() < 0.05 ? ['nuke'] : [],
        limits: rand() < 0.15 ? [(limits[Math.floor(rand() * limits.length)] as LimitSnapshot).id] : [],
      });
      for (let f = 0; f < framesPerLayer; f++) frames.push({ id: frameId++, layerId, order: f * 5 + l });
    }
  }
  return { now: 1_700_000_500_000, hosts, allocations, shows, jobs, layers, frames, limits };
}
