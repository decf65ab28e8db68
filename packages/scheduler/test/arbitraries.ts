/** fast-check generators of small random farms for the scheduler's property tests. */
import fc from 'fast-check';
import type { FarmSnapshot, HostSnapshot, JobSnapshot, LayerSnapshot, LimitSnapshot, ReadyFrame, ShowSnapshot } from '../src';
import { DEFAULT_ALLOCATIONS, GB } from './builders';

const allocIds = DEFAULT_ALLOCATIONS.map((a) => a.id);

const hostArb = (i: number) =>
  fc
    .record({
      allocationId: fc.constantFrom('lax.general', 'lax.general', 'lax.gpu'),
      state: fc.constantFrom('UP', 'UP', 'UP', 'UP', 'UP', 'UP', 'DOWN', 'REPAIR' as const),
      lock: fc.constantFrom('OPEN', 'OPEN', 'OPEN', 'OPEN', 'OPEN', 'OPEN', 'LOCKED', 'NIMBY_LOCKED' as const),
      tags: fc.subarray(['sim', 'nuke']),
      cores: fc.integer({ min: 1, max: 32 }),
      busy: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
      memoryGb: fc.integer({ min: 4, max: 128 }),
      gpus: fc.integer({ min: 0, max: 3 }),
      procCount: fc.integer({ min: 0, max: 3 }),
    })
    .map(
      (h): HostSnapshot => ({
        id: `h${i}`,
        name: `h${i}`,
        allocationId: h.allocationId,
        state: h.state as HostSnapshot['state'],
        lock: h.lock as HostSnapshot['lock'],
        tags: h.tags,
        cores: h.cores,
        idleCores: Math.round(h.cores * (1 - h.busy) * 2) / 2,
        memoryMb: h.memoryGb * GB,
        idleMemoryMb: Math.round(h.memoryGb * GB * (1 - h.busy)),
        gpus: h.gpus,
        idleGpus: Array.from({ length: h.gpus }, (_, g) => g).filter((g) => g % 2 === 0 || h.busy < 0.5),
        gpuMemoryMb: h.gpus * 8 * GB,
        idleGpuMemoryMb: Math.round(h.gpus * 8 * GB * (1 - h.busy)),
        procCount: h.procCount,
      }),
    );

const subArb = (allocationId: string) =>
  fc.record({
    allocationId: fc.constant(allocationId),
    size: fc.integer({ min: 0, max: 40 }),
    burst: fc.integer({ min: 0, max: 80 }),
    coresInUse: fc.integer({ min: 0, max: 10 }),
  });

/** Most shows subscribe to most allocations, so most farms have something to book. */
const subsArb = fc
  .tuple(...allocIds.map((id) => fc.option(subArb(id), { freq: 5 })))
  .map((subs) => subs.filter((sub): sub is NonNullable<typeof sub> => sub !== null));

export const farmArb: fc.Arbitrary<FarmSnapshot> = fc
  .record({
    hostCount: fc.integer({ min: 1, max: 10 }),
    shows: fc.array(fc.record({ mode: fc.constantFrom('PRIORITY_ONLY', 'FIFO', 'BALANCED' as const), subs: subsArb }), {
      minLength: 1,
      maxLength: 3,
    }),
    limits: fc.array(fc.record({ max: fc.integer({ min: 0, max: 6 }), inUse: fc.integer({ min: 0, max: 4 }) }), { maxLength: 2 }),
    jobs: fc.array(
      fc.record({
        show: fc.nat(),
        priority: fc.integer({ min: 0, max: 300 }),
        paused: fc.constantFrom(false, false, false, true),
        submittedAt: fc.integer({ min: 0, max: 10 }),
        excludeFirstHost: fc.boolean(),
        coresInUse: fc.integer({ min: 0, max: 10 }),
        layers: fc.array(
          fc.record({
            minCores: fc.constantFrom(0.5, 1, 2, 4, 8),
            maxCores: fc.constantFrom(0, 4, 16),
            threadable: fc.boolean(),
            memoryGb: fc.constantFrom(1, 2, 4, 8, 32),
            gpus: fc.constantFrom(0, 0, 0, 0, 0, 1, 2),
            tags: fc.oneof(
              { arbitrary: fc.constant([]), weight: 3 },
              { arbitrary: fc.subarray(['general', 'gpu', 'sim', 'nuke']), weight: 1 },
            ),
            limit: fc.integer({ min: -1, max: 1 }),
            frames: fc.integer({ min: 0, max: 12 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    maxFramesPerJobPerPass: fc.constantFrom(0, 0, 3),
    maxProcsPerHost: fc.constantFrom(0, 0, 2),
  })
  .chain((p) =>
    fc.tuple(...Array.from({ length: p.hostCount }, (_, i) => hostArb(i))).map((hosts): FarmSnapshot => {
      const shows: ShowSnapshot[] = p.shows.map((s, i) => {
        return { id: `s${i}`, name: `s${i}`, mode: s.mode as ShowSnapshot['mode'], subscriptions: s.subs };
      });
      const limits: LimitSnapshot[] = p.limits.map((l, i) => ({ id: `lim${i}`, name: `lim${i}`, ...l }));
      const jobs: JobSnapshot[] = [];
      const layers: LayerSnapshot[] = [];
      const frames: ReadyFrame[] = [];
      let frameId = 1;
      p.jobs.forEach((j, ji) => {
        const id = `j${ji}`;
        jobs.push({
          id,
          name: id,
          showId: (shows[j.show % shows.length] as ShowSnapshot).id,
          priority: j.priority,
          paused: j.paused,
          submittedAt: j.submittedAt,
          excludedHostIds: j.excludeFirstHost ? ['h0'] : [],
          coresInUse: j.coresInUse,
        });
        j.layers.forEach((l, li) => {
          const layerId = `${id}.l${li}`;
          const limit = limits[l.limit];
          layers.push({
            id: layerId,
            jobId: id,
            name: `l${li}`,
            minCores: l.minCores,
            maxCores: l.maxCores,
            threadable: l.threadable,
            memoryMb: l.memoryGb * GB,
            gpus: l.gpus,
            gpuMemoryMb: l.gpus * 4 * GB,
            tags: l.tags,
            limits: limit ? [limit.id] : [],
          });
          for (let f = 0; f < l.frames; f++) frames.push({ id: frameId++, layerId, order: f * 3 + li });
        });
      });
      return {
        now: 0,
        hosts,
        allocations: DEFAULT_ALLOCATIONS,
        shows,
        jobs,
        layers,
        frames,
        limits,
        options: { maxFramesPerJobPerPass: p.maxFramesPerJobPerPass, maxProcsPerHost: p.maxProcsPerHost },
      };
    }),
  );
