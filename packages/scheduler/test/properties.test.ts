import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FarmSnapshot, type SchedulePlan, Scheduler, schedule } from '../src';
import { farmArb } from './arbitraries';
import { frames, GB, host, job, layer, show } from './builders';

const EPS = 1e-9;

function checkInvariants(s: FarmSnapshot, plan: SchedulePlan): void {
  const hosts = new Map(s.hosts.map((h) => [h.id, h]));
  const layers = new Map(s.layers.map((l) => [l.id, l]));
  const jobs = new Map(s.jobs.map((j) => [j.id, j]));
  const ready = new Map(s.frames.map((f) => [f.id, f]));

  // No host over-booked on any resource; GPUs booked are idle ones, each once.
  const perHost = new Map<string, { cores: number; mem: number; gpuMem: number; gpus: number[]; procs: number }>();
  for (const b of plan.bookings) {
    const t = perHost.get(b.hostId) ?? { cores: 0, mem: 0, gpuMem: 0, gpus: [], procs: 0 };
    t.cores += b.cores;
    t.mem += b.memoryMb;
    t.gpuMem += b.gpuMemoryMb;
    t.gpus.push(...b.gpus);
    t.procs++;
    perHost.set(b.hostId, t);
  }
  for (const [hostId, t] of perHost) {
    const h = hosts.get(hostId);
    expect(h?.state).toBe('UP');
    expect(h?.lock).toBe('OPEN');
    if (!h) return;
    expect(t.cores).toBeLessThanOrEqual(h.idleCores + EPS);
    expect(t.mem).toBeLessThanOrEqual(h.idleMemoryMb);
    expect(t.gpuMem).toBeLessThanOrEqual(h.idleGpuMemoryMb);
    expect(new Set(t.gpus).size).toBe(t.gpus.length);
    for (const g of t.gpus) expect(h.idleGpus).toContain(g);
    const cap = s.options?.maxProcsPerHost ?? 0;
    if (cap > 0) expect(h.procCount + t.procs).toBeLessThanOrEqual(Math.max(cap, h.procCount));
  }

  // No show over its burst in any allocation.
  const perSub = new Map<string, number>();
  for (const b of plan.bookings) {
    const key = `${jobs.get(b.jobId)?.showId}|${hosts.get(b.hostId)?.allocationId}`;
    perSub.set(key, (perSub.get(key) ?? 0) + b.cores);
  }
  for (const [key, cores] of perSub) {
    const [showId, allocId] = key.split('|');
    const sub = s.shows.find((x) => x.id === showId)?.subscriptions.find((x) => x.allocationId === allocId);
    expect(sub).toBeDefined();
    if (sub) expect(sub.coresInUse + cores).toBeLessThanOrEqual(sub.burst + EPS);
  }

  // No limit exceeded.
  for (const limit of s.limits) {
    const used = plan.bookings.filter((b) => layers.get(b.layerId)?.limits.includes(limit.id)).length;
    if (used > 0) expect(limit.inUse + used).toBeLessThanOrEqual(limit.max);
  }

  // No frame booked twice, none not ready, none of a paused job; each of a job's per-pass cap.
  const booked = new Set<number>();
  for (const b of plan.bookings) {
    expect(booked.has(b.frameId)).toBe(false);
    booked.add(b.frameId);
    expect(ready.get(b.frameId)?.layerId).toBe(b.layerId);
    expect(jobs.get(b.jobId)?.paused).toBe(false);
    expect(jobs.get(b.jobId)?.excludedHostIds).not.toContain(b.hostId);
    expect(b.cores).toBeGreaterThanOrEqual(layers.get(b.layerId)?.minCores ?? Number.POSITIVE_INFINITY);
  }
  const cap = s.options?.maxFramesPerJobPerPass ?? 0;
  if (cap > 0) for (const j of s.jobs) expect(plan.bookings.filter((b) => b.jobId === j.id).length).toBeLessThanOrEqual(cap);

  // Every ready frame is either booked or has a reason, never both.
  const unbooked = new Set(plan.unbooked.map((u) => u.frameId));
  expect(unbooked.size).toBe(plan.unbooked.length);
  for (const u of plan.unbooked) {
    expect(booked.has(u.frameId)).toBe(false);
    expect(u.reason.length).toBeGreaterThan(10);
  }
  expect(booked.size + unbooked.size).toBe(s.frames.length);
}

/** After a full pass nothing more fits: no unbooked frame could go on any host (a naive oracle). */
function checkNothingMoreFits(s: FarmSnapshot, plan: SchedulePlan): void {
  const layers = new Map(s.layers.map((l) => [l.id, l]));
  const jobs = new Map(s.jobs.map((j) => [j.id, j]));
  const shows = new Map(s.shows.map((x) => [x.id, x]));
  const allocTag = new Map(s.allocations.map((a) => [a.id, a.tag]));
  const hostSnaps = new Map(s.hosts.map((h) => [h.id, h]));
  const host = new Map(
    s.hosts.map((h) => [
      h.id,
      { cores: h.idleCores, mem: h.idleMemoryMb, gpus: h.idleGpus.length, gpuMem: h.idleGpuMemoryMb, procs: h.procCount },
    ]),
  );
  const subUse = new Map<string, number>();
  const limitUse = new Map(s.limits.map((l) => [l.id, l.inUse]));
  const jobBooked = new Map<string, number>();
  for (const b of plan.bookings) {
    const h = host.get(b.hostId);
    if (h) {
      h.cores -= b.cores;
      h.mem -= b.memoryMb;
      h.gpus -= b.gpus.length;
      h.gpuMem -= b.gpuMemoryMb;
      h.procs++;
    }
    const key = `${jobs.get(b.jobId)?.showId}|${hostSnaps.get(b.hostId)?.allocationId}`;
    subUse.set(key, (subUse.get(key) ?? 0) + b.cores);
    for (const l of layers.get(b.layerId)?.limits ?? []) limitUse.set(l, (limitUse.get(l) ?? 0) + 1);
    jobBooked.set(b.jobId, (jobBooked.get(b.jobId) ?? 0) + 1);
  }
  const frameCap = s.options?.maxFramesPerJobPerPass ?? 0;
  const procCap = s.options?.maxProcsPerHost ?? 0;
  const framesById = new Map(s.frames.map((f) => [f.id, f]));
  for (const u of plan.unbooked) {
    const frame = framesById.get(u.frameId);
    const l = frame && layers.get(frame.layerId);
    const j = l && jobs.get(l.jobId);
    if (!l || !j) throw new Error('test data');
    if (j.paused || (frameCap > 0 && (jobBooked.get(j.id) ?? 0) >= frameCap)) continue;
    if (l.limits.some((id) => (limitUse.get(id) ?? 0) >= (s.limits.find((x) => x.id === id)?.max ?? 0))) continue;
    for (const h of s.hosts) {
      if (h.state !== 'UP' || h.lock !== 'OPEN' || j.excludedHostIds.includes(h.id)) continue;
      const tags = new Set([...h.tags, allocTag.get(h.allocationId)]);
      if (!(l.tags.length ? l.tags : ['general']).some((t) => tags.has(t))) continue;
      const sub = shows.get(j.showId)?.subscriptions.find((x) => x.allocationId === h.allocationId);
      if (!sub || sub.coresInUse + (subUse.get(`${j.showId}|${h.allocationId}`) ?? 0) + l.minCores > sub.burst + EPS) continue;
      const free = host.get(h.id);
      if (!free || (procCap > 0 && free.procs >= procCap)) continue;
      const fits = free.cores + EPS >= l.minCores && free.mem >= l.memoryMb && free.gpus >= l.gpus && free.gpuMem >= l.gpuMemoryMb;
      expect(fits, `frame ${u.frameId} (${u.code}: ${u.reason}) would fit on ${h.id}`).toBe(false);
    }
  }
}

// Hundreds of random farms per property: allow for a machine busy with other work.
const PROPERTY_TIMEOUT = 60_000;

describe('scheduler properties over random farms', () => {
  it(
    'books everything that fits: after a pass no unbooked frame fits on any host',
    () => {
      fc.assert(
        fc.property(farmArb, (s) => checkNothingMoreFits(s, schedule(s))),
        { numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'never over-books a host, a show, a limit or a frame; every frame left has a reason',
    () => {
      fc.assert(
        fc.property(farmArb, (s) => checkInvariants(s, schedule(s))),
        { numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'the same farm gives the same plan, whatever order it is listed in',
    () => {
      fc.assert(
        fc.property(farmArb, (s) => {
          const reversed = {
            ...s,
            hosts: [...s.hosts].reverse(),
            jobs: [...s.jobs].reverse(),
            layers: [...s.layers].reverse(),
            frames: [...s.frames].reverse(),
          };
          expect(schedule(reversed)).toEqual(schedule(s));
        }),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'an incremental pass after procs end never over-books the host either',
    () => {
      fc.assert(
        fc.property(farmArb, fc.nat(), (s, pick) => {
          const scheduler = new Scheduler(s);
          const first = scheduler.schedule();
          const ended = first.bookings.filter((_, i) => i % 2 === pick % 2);
          for (const b of ended) scheduler.release(b);
          const hostId = ended[0]?.hostId ?? s.hosts[0]?.id ?? 'h0';
          const second = scheduler.scheduleHost(hostId);
          const still = first.bookings.filter((b) => !ended.includes(b) && b.hostId === hostId);
          const h = s.hosts.find((x) => x.id === hostId);
          const cores = [...still, ...second.bookings].reduce((sum, b) => sum + b.cores, 0);
          const memory = [...still, ...second.bookings].reduce((sum, b) => sum + b.memoryMb, 0);
          if (h) {
            expect(cores).toBeLessThanOrEqual(h.idleCores + EPS);
            expect(memory).toBeLessThanOrEqual(h.idleMemoryMb);
          }
          const bookedAgain = new Set(first.bookings.map((b) => b.frameId));
          for (const b of second.bookings) expect(bookedAgain.has(b.frameId)).toBe(false);
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'with one show and ample hosts, every ready frame is booked',
    () => {
      const demand = fc.array(
        fc.record({ minCores: fc.constantFrom(0.5, 1, 2, 4), memoryGb: fc.constantFrom(1, 2, 4), frames: fc.integer({ min: 0, max: 30 }) }),
        { minLength: 1, maxLength: 6 },
      );
      fc.assert(
        fc.property(demand, fc.constantFrom('PRIORITY_ONLY', 'FIFO', 'BALANCED' as const), (layers, mode) => {
          const frameCount = layers.reduce((n, l) => n + l.frames, 0);
          const s: FarmSnapshot = {
            now: 0,
            allocations: [{ id: 'lax.general', name: 'lax.general', tag: 'general' }],
            hosts: Array.from({ length: Math.ceil(frameCount / 8) + 1 }, (_, i) => host(`h${i}`, { cores: 32, memoryMb: 64 * GB })),
            shows: [show('ab', { 'lax.general': [100_000, 100_000] }, { mode })],
            jobs: layers.map((_, i) => job(`j${i}`, 'ab', { priority: i * 10 })),
            layers: layers.map((l, i) => layer(`l${i}`, `j${i}`, { minCores: l.minCores, memoryMb: l.memoryGb * GB })),
            frames: layers.flatMap((l, i) => frames(`l${i}`, i * 1000 + 1, l.frames)),
            limits: [],
          };
          const plan = schedule(s);
          expect(plan.unbooked).toEqual([]);
          expect(plan.bookings).toHaveLength(frameCount);
        }),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'two shows of equal size and unbounded demand end a pass within one frame of each other',
    () => {
      const farmShape = fc.record({
        hostCores: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        frameCores: fc.constantFrom(0.5, 1, 2, 4),
        size: fc.integer({ min: 0, max: 500 }),
        modes: fc.tuple(
          fc.constantFrom('PRIORITY_ONLY', 'FIFO', 'BALANCED' as const),
          fc.constantFrom('PRIORITY_ONLY', 'FIFO', 'BALANCED' as const),
        ),
      });
      fc.assert(
        fc.property(farmShape, ({ hostCores, frameCores, size, modes }) => {
          const totalCores = hostCores.reduce((a, b) => a + b, 0);
          const demand = Math.ceil(totalCores / frameCores) + 1; // each show alone could fill the farm
          const s: FarmSnapshot = {
            now: 0,
            allocations: [{ id: 'lax.general', name: 'lax.general', tag: 'general' }],
            hosts: hostCores.map((cores, i) => host(`h${i}`, { cores, memoryMb: 1024 * GB })),
            shows: [
              show('a', { 'lax.general': [size, 100_000] }, { mode: modes[0] }),
              show('b', { 'lax.general': [size, 100_000] }, { mode: modes[1] }),
            ],
            jobs: [job('ja', 'a'), job('jb', 'b')],
            layers: [layer('la', 'ja', { minCores: frameCores }), layer('lb', 'jb', { minCores: frameCores })],
            frames: [...frames('la', 1, demand), ...frames('lb', 1_000_000, demand)],
            limits: [],
          };
          const plan = schedule(s);
          const cores = (jobId: string) => plan.bookings.filter((b) => b.jobId === jobId).reduce((n, b) => n + b.cores, 0);
          expect(Math.abs(cores('ja') - cores('jb'))).toBeLessThanOrEqual(frameCores + EPS);
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
