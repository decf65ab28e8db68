import { AppError } from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import { type FarmSnapshot, type SchedulePlan, schedule } from '../src';
import { farm, frames, GB, host, job, layer, limit, show, simpleFarm } from './builders';

const booked = (plan: SchedulePlan) => plan.bookings.length;
const codes = (plan: SchedulePlan) => [...new Set(plan.unbooked.map((u) => u.code))];
const bookedJobs = (plan: SchedulePlan) => plan.bookings.map((b) => b.jobId);

interface Case {
  name: string;
  given: FarmSnapshot;
  expects: (plan: SchedulePlan) => void;
}

const hostRules: Case[] = [
  { name: 'an UP, unlocked host takes frames until its cores are used', given: simpleFarm({}), expects: (p) => expect(booked(p)).toBe(8) },
  ...(['DOWN', 'REPAIR'] as const).map((state) => ({
    name: `a ${state} host gets no frames`,
    given: simpleFarm({ hosts: [host('h1', { state })] }),
    expects: (p: SchedulePlan) => {
      expect(booked(p)).toBe(0);
      expect(codes(p)).toEqual(['NO_HOST_MATCHES']);
      expect(p.unbooked[0]?.reason).toContain(state);
    },
  })),
  ...(['LOCKED', 'NIMBY_LOCKED'] as const).map((lock) => ({
    name: `a ${lock} host gets no frames`,
    given: simpleFarm({ hosts: [host('h1', { lock })] }),
    expects: (p: SchedulePlan) => {
      expect(booked(p)).toBe(0);
      expect(p.unbooked[0]?.reason).toContain(lock);
    },
  })),
  {
    name: 'a tagged layer runs only on hosts carrying its tag',
    given: simpleFarm({ hosts: [host('plain'), host('sim', { tags: ['sim'] })], layer: { tags: ['sim'] } }),
    expects: (p) => expect(new Set(p.bookings.map((b) => b.hostId))).toEqual(new Set(['sim'])),
  },
  {
    name: 'a layer with several tags runs on hosts carrying any of them',
    given: simpleFarm({ hosts: [host('a', { tags: ['sim'] }), host('b', { tags: ['fx'] }), host('c')], layer: { tags: ['sim', 'fx'] } }),
    expects: (p) => expect(new Set(p.bookings.map((b) => b.hostId))).toEqual(new Set(['a', 'b'])),
  },
  {
    name: "an untagged layer runs on the 'general' allocation, not on the gpu allocation",
    given: simpleFarm({ hosts: [host('cpu'), host('gpu', { allocationId: 'lax.gpu', gpus: 1 })] }),
    expects: (p) => expect(new Set(p.bookings.map((b) => b.hostId))).toEqual(new Set(['cpu'])),
  },
  {
    name: "a layer tagged with an allocation's tag runs on every host of that allocation",
    given: simpleFarm({ hosts: [host('cpu'), host('gpu', { allocationId: 'lax.gpu', gpus: 1 })], layer: { tags: ['gpu'] } }),
    expects: (p) => expect(new Set(p.bookings.map((b) => b.hostId))).toEqual(new Set(['gpu'])),
  },
  {
    name: 'a job skips the hosts it excludes',
    given: simpleFarm({ hosts: [host('h1'), host('h2')], job: { excludedHostIds: ['h1'] } }),
    expects: (p) => expect(new Set(p.bookings.map((b) => b.hostId))).toEqual(new Set(['h2'])),
  },
];

const resourceRules: Case[] = [
  {
    name: 'cores are never over-booked: 3-core frames fit twice on 8 cores',
    given: simpleFarm({ layer: { minCores: 3 } }),
    expects: (p) => expect(booked(p)).toBe(2),
  },
  {
    name: 'cores already in use on the host are not booked again',
    given: simpleFarm({ hosts: [host('h1', { busyCores: 6 })] }),
    expects: (p) => expect(booked(p)).toBe(2),
  },
  {
    name: 'fractional cores add up exactly: ten half-core frames fill 5 cores',
    given: simpleFarm({ hosts: [host('h1', { cores: 5 })], layer: { minCores: 0.5 } }),
    expects: (p) => expect(booked(p)).toBe(10),
  },
  {
    name: 'memory is never over-booked: 12 GB frames fit twice in 32 GB',
    given: simpleFarm({ layer: { memoryMb: 12 * GB } }),
    expects: (p) => {
      expect(booked(p)).toBe(2);
      expect(p.bookings.every((b) => b.memoryMb === 12 * GB)).toBe(true);
    },
  },
  {
    name: 'each GPU is booked once, by index',
    given: simpleFarm({ hosts: [host('g', { allocationId: 'lax.gpu', gpus: 3 })], layer: { tags: ['gpu'], gpus: 1 } }),
    expects: (p) => expect(p.bookings.map((b) => b.gpus)).toEqual([[0], [1], [2]]),
  },
  {
    name: 'GPU memory is never over-booked',
    given: simpleFarm({
      hosts: [host('g', { allocationId: 'lax.gpu', gpus: 4, gpuMemoryMb: 24 * GB })],
      layer: { tags: ['gpu'], gpus: 1, gpuMemoryMb: 10 * GB },
    }),
    expects: (p) => expect(booked(p)).toBe(2),
  },
  {
    name: 'a threadable layer takes every idle core up to its max',
    given: simpleFarm({ hosts: [host('h1', { cores: 16 })], layer: { threadable: true, minCores: 2, maxCores: 12 } }),
    expects: (p) => expect(p.bookings.map((b) => b.cores)).toEqual([12, 4]),
  },
  {
    name: 'a threadable layer with no max takes the whole idle host',
    given: simpleFarm({ hosts: [host('h1', { cores: 16, busyCores: 3 })], layer: { threadable: true, minCores: 2 } }),
    expects: (p) => expect(p.bookings.map((b) => b.cores)).toEqual([13]),
  },
  {
    name: 'a layer that is not threadable takes exactly its cores',
    given: simpleFarm({ hosts: [host('h1', { cores: 16 })], layer: { minCores: 2, maxCores: 12 } }),
    expects: (p) => expect(p.bookings.every((b) => b.cores === 2)).toBe(true),
  },
  {
    name: 'a chunked layer books one proc per chunk: one ready row is one booking',
    given: simpleFarm({ frames: 3 }),
    expects: (p) => expect(p.bookings.map((b) => b.frameId)).toEqual([1, 2, 3]),
  },
];

const showRules: Case[] = [
  {
    name: 'a show with no subscription to the allocation gets nothing there',
    given: farm({
      hosts: [host('h1')],
      shows: [show('ab', { 'lax.gpu': [10, 10] })],
      jobs: [job('j1', 'ab')],
      layers: [layer('l', 'j1')],
      frames: frames('l', 1, 5),
    }),
    expects: (p) => {
      expect(booked(p)).toBe(0);
      expect(codes(p)).toEqual(['NO_SUBSCRIPTION']);
      expect(p.unbooked[0]?.reason).toBe("show 'ab' does not subscribe to 'lax.general', where the hosts tagged 'general' are");
    },
  },
  {
    name: 'a show stops at its burst',
    given: simpleFarm({ sub: [2, 5] }),
    expects: (p) => {
      expect(booked(p)).toBe(5);
      expect(codes(p)).toEqual(['SHOW_AT_BURST']);
      expect(p.unbooked[0]?.reason).toBe("show 'ab' is at its burst of 5 cores in 'lax.general'");
    },
  },
  {
    name: 'cores a show already holds count toward its burst',
    given: simpleFarm({ sub: [2, 5, 4] }),
    expects: (p) => expect(booked(p)).toBe(1),
  },
  {
    name: 'a show under its size goes before a show over it, whatever the job priorities',
    given: farm({
      hosts: [host('h1', { cores: 4 })],
      shows: [show('rich', { 'lax.general': [10, 100, 20] }), show('poor', { 'lax.general': [10, 100, 5] })],
      jobs: [job('urgent', 'rich', { priority: 9000 }), job('calm', 'poor', { priority: 1 })],
      layers: [layer('u', 'urgent'), layer('c', 'calm')],
      frames: [...frames('u', 1, 10), ...frames('c', 100, 10)],
    }),
    expects: (p) => expect(bookedJobs(p)).toEqual(['calm', 'calm', 'calm', 'calm']),
  },
  {
    name: 'the most starved show (lowest share of its size) goes first, then they alternate',
    given: farm({
      hosts: [host('h1', { cores: 6 })],
      shows: [show('a', { 'lax.general': [10, 100, 4] }), show('b', { 'lax.general': [100, 1000, 10] })],
      jobs: [job('ja', 'a'), job('jb', 'b')],
      layers: [layer('la', 'ja'), layer('lb', 'jb')],
      frames: [...frames('la', 1, 10), ...frames('lb', 100, 10)],
    }),
    // b holds 10% of its size and a 40%: all six cores go to b, which is still below 40% after them.
    expects: (p) => expect(bookedJobs(p)).toEqual(['jb', 'jb', 'jb', 'jb', 'jb', 'jb']),
  },
  {
    name: 'two shows of equal standing take turns',
    given: farm({
      hosts: [host('h1', { cores: 6 })],
      shows: [show('a', { 'lax.general': [10, 100] }), show('b', { 'lax.general': [10, 100] })],
      jobs: [job('ja', 'a'), job('jb', 'b')],
      layers: [layer('la', 'ja'), layer('lb', 'jb')],
      frames: [...frames('la', 1, 10), ...frames('lb', 100, 10)],
    }),
    expects: (p) => expect(bookedJobs(p)).toEqual(['ja', 'jb', 'ja', 'jb', 'ja', 'jb']),
  },
];

const twoJobs = (
  mode: 'PRIORITY_ONLY' | 'FIFO' | 'BALANCED',
  a: Partial<Parameters<typeof job>[2]>,
  b: Partial<Parameters<typeof job>[2]>,
  cores = 4,
) =>
  farm({
    hosts: [host('h1', { cores })],
    shows: [show('ab', { 'lax.general': [1000, 1000] }, { mode })],
    jobs: [job('a', 'ab', a), job('b', 'ab', b)],
    layers: [layer('la', 'a'), layer('lb', 'b')],
    frames: [...frames('la', 1, 100), ...frames('lb', 1000, 100)],
  });

const jobOrder: Case[] = [
  {
    name: 'PRIORITY_ONLY: the higher-priority job goes first',
    given: twoJobs('PRIORITY_ONLY', { priority: 10, submittedAt: 1 }, { priority: 50, submittedAt: 2 }),
    expects: (p) => expect(bookedJobs(p)).toEqual(['b', 'b', 'b', 'b']),
  },
  {
    name: 'PRIORITY_ONLY: among equal priorities the earlier submission goes first',
    given: twoJobs('PRIORITY_ONLY', { submittedAt: 2 }, { submittedAt: 1 }),
    expects: (p) => expect(bookedJobs(p)).toEqual(['b', 'b', 'b', 'b']),
  },
  {
    name: 'FIFO: the earlier submission goes first whatever its priority',
    given: twoJobs('FIFO', { priority: 10, submittedAt: 1 }, { priority: 50, submittedAt: 2 }),
    expects: (p) => expect(bookedJobs(p)).toEqual(['a', 'a', 'a', 'a']),
  },
  {
    name: 'BALANCED: jobs share cores in proportion to priority',
    given: twoJobs('BALANCED', { priority: 100 }, { priority: 300 }, 8),
    expects: (p) => expect(bookedJobs(p).sort()).toEqual(['a', 'a', 'b', 'b', 'b', 'b', 'b', 'b']),
  },
  {
    name: 'BALANCED: a job already holding cores waits for the others to catch up',
    given: twoJobs('BALANCED', { coresInUse: 3 }, {}, 3),
    expects: (p) => expect(bookedJobs(p)).toEqual(['b', 'b', 'b']),
  },
  {
    name: 'frames of a job go in dispatch order across its layers',
    given: farm({
      hosts: [host('h1', { cores: 4 })],
      shows: [show('ab', { 'lax.general': [100, 100] })],
      jobs: [job('j', 'ab')],
      layers: [layer('l1', 'j'), layer('l2', 'j')],
      frames: [
        { id: 1, layerId: 'l1', order: 4 },
        { id: 2, layerId: 'l2', order: 1 },
        { id: 3, layerId: 'l1', order: 2 },
        { id: 4, layerId: 'l2', order: 3 },
        { id: 5, layerId: 'l1', order: 5 },
      ],
    }),
    expects: (p) => expect(p.bookings.map((b) => b.frameId)).toEqual([2, 3, 4, 1]),
  },
];

const limitsAndCaps: Case[] = [
  {
    name: 'a limit is never exceeded',
    given: simpleFarm({ layer: { limits: ['nuke'] }, limits: [limit('nuke', 3, 1)] }),
    expects: (p) => {
      expect(booked(p)).toBe(2);
      expect(p.unbooked[0]).toMatchObject({ code: 'LIMIT_REACHED', reason: "limit 'nuke' is at 3/3" });
    },
  },
  {
    name: 'a limit shared by two layers counts both',
    given: farm({
      hosts: [host('h1')],
      shows: [show('ab', { 'lax.general': [100, 100] })],
      jobs: [job('j', 'ab')],
      layers: [layer('a', 'j', { limits: ['arnold'] }), layer('b', 'j', { limits: ['arnold'] })],
      frames: [...frames('a', 1, 5), ...frames('b', 10, 5)],
      limits: [limit('arnold', 4)],
    }),
    expects: (p) => expect(booked(p)).toBe(4),
  },
  {
    name: 'a paused job gets nothing and says so',
    given: simpleFarm({ job: { paused: true } }),
    expects: (p) => {
      expect(booked(p)).toBe(0);
      expect(p.unbooked[0]).toMatchObject({ code: 'JOB_PAUSED', reason: "job 'j1' is paused" });
    },
  },
  {
    name: 'a job books at most the per-pass frame cap',
    given: simpleFarm({ hosts: [host('h1'), host('h2')], options: { maxFramesPerJobPerPass: 5 } }),
    expects: (p) => {
      expect(booked(p)).toBe(5);
      expect(codes(p)).toEqual(['PASS_CAP']);
    },
  },
  {
    name: 'a host runs at most the per-host proc cap',
    given: simpleFarm({ hosts: [host('h1'), host('h2')], options: { maxProcsPerHost: 3 } }),
    expects: (p) => {
      expect(booked(p)).toBe(6);
      expect(codes(p)).toEqual(['PASS_CAP']);
    },
  },
  {
    name: 'procs already on a host count toward the per-host cap',
    given: simpleFarm({ hosts: [host('h1', { procCount: 2 })], options: { maxProcsPerHost: 3 } }),
    expects: (p) => expect(booked(p)).toBe(1),
  },
];

const reasons: Case[] = [
  {
    name: 'a layer needing more memory than any host has can never run',
    given: simpleFarm({ layer: { memoryMb: 256 * GB } }),
    expects: (p) =>
      expect(p.unbooked[0]).toMatchObject({
        code: 'NO_HOST_MATCHES',
        reason: "no UP host in 'lax.general' has 256 GB of memory (largest: 32 GB); layer 'render' can never run there",
      }),
  },
  {
    name: 'a layer whose memory is not free anywhere names the largest free',
    given: simpleFarm({
      hosts: [host('h1', { busyMemoryMb: 20 * GB }), host('h2', { busyMemoryMb: 20 * GB })],
      layer: { memoryMb: 16 * GB },
    }),
    expects: (p) =>
      expect(p.unbooked[0]).toMatchObject({
        code: 'NO_HOST_HAS_RESOURCES',
        reason: "no UP host in 'lax.general' has 16 GB free (largest free: 12 GB on 2 hosts)",
      }),
  },
  {
    name: 'frames left when every host is busy say the farm is full',
    given: simpleFarm({ frames: 20 }),
    expects: (p) => {
      expect(booked(p)).toBe(8);
      expect(p.unbooked).toHaveLength(12);
      expect(p.unbooked[0]).toMatchObject({
        code: 'FARM_FULL',
        reason:
          "every UP host in 'lax.general' that can run layer 'render' is busy: none has 1 core free (largest free: 0 cores on 1 host)",
      });
    },
  },
  {
    name: 'a layer tagged for hosts that do not exist says so',
    given: simpleFarm({ layer: { tags: ['houdini'] } }),
    expects: (p) =>
      expect(p.unbooked[0]).toMatchObject({ code: 'NO_HOST_MATCHES', reason: "no host is tagged 'houdini' (layer 'render')" }),
  },
];

describe('schedule() books by OpenCue rules', () => {
  for (const [group, cases] of Object.entries({ hostRules, resourceRules, showRules, jobOrder, limitsAndCaps, reasons })) {
    describe(group, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => c.expects(schedule(c.given)));
    });
  }
});

describe('schedule() is deterministic', () => {
  it('gives the same plan for the same farm listed in another order', () => {
    const given = farm({
      hosts: [host('h1'), host('h2', { cores: 16 }), host('h3', { tags: ['sim'] })],
      shows: [show('a', { 'lax.general': [4, 10] }), show('b', { 'lax.general': [8, 20] }, { mode: 'BALANCED' })],
      jobs: [job('ja', 'a'), job('jb1', 'b', { priority: 50 }), job('jb2', 'b')],
      layers: [layer('la', 'ja', { tags: ['sim', 'general'] }), layer('lb1', 'jb1', { minCores: 2 }), layer('lb2', 'jb2')],
      frames: [...frames('la', 1, 30), ...frames('lb1', 100, 30), ...frames('lb2', 200, 30)],
    });
    const reversed = {
      ...given,
      hosts: [...given.hosts].reverse(),
      shows: [...given.shows].reverse(),
      jobs: [...given.jobs].reverse(),
      layers: [...given.layers].reverse(),
      frames: [...given.frames].reverse(),
    };
    expect(schedule(reversed)).toEqual(schedule(given));
  });
});

describe('schedule() refuses an inconsistent snapshot', () => {
  const refusals: [string, FarmSnapshot, string][] = [
    [
      'a host in an unknown allocation',
      simpleFarm({ hosts: [host('h1', { allocationId: 'nowhere' })] }),
      "host 'h1' (h1) is in allocation 'nowhere'",
    ],
    ['negative idle cores', simpleFarm({ hosts: [host('h1', { idleCores: -2 })] }), "host 'h1' (h1) has idleCores -2"],
    ['more idle memory than the host has', simpleFarm({ hosts: [host('h1', { idleMemoryMb: 64 * GB })] }), 'idle but only 32768 in total'],
    [
      'a frame listed twice',
      { ...simpleFarm({}), frames: [...frames('render', 1, 3), ...frames('render', 3, 1)] },
      'frame id 3 appears twice',
    ],
    ['a frame of an unknown layer', { ...simpleFarm({}), frames: frames('ghost', 1, 1) }, "frame 1 belongs to layer 'ghost'"],
    ['a layer using an unknown limit', simpleFarm({ layer: { limits: ['nuke'] } }), "uses limit 'nuke', which is not in the snapshot"],
    ['a layer with no cores', simpleFarm({ layer: { minCores: 0 } }), 'has minCores 0; it must be more than 0'],
  ];
  it.each(refusals)('refuses %s', (_name, given, message) => {
    expect(() => schedule(given)).toThrow(AppError);
    expect(() => schedule(given)).toThrow(message);
  });
});
