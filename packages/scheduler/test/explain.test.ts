import { describe, expect, it } from 'vitest';
import { DependGraph, type ExplainTarget, type Explanation, explain, type FarmSnapshot } from '../src';
import { farm, frames, GB, host, job, layer, limit, show, simpleFarm } from './builders';
import { depJob } from './dependBuilders';

interface Case {
  name: string;
  given: FarmSnapshot;
  target: ExplainTarget;
  says: Pick<Explanation['lines'][number], 'code' | 'reason'>[];
}

const cases: Case[] = [
  {
    name: 'a paused job says it is paused',
    given: simpleFarm({ job: { paused: true } }),
    target: { jobId: 'j1' },
    says: [{ code: 'JOB_PAUSED', reason: "job 'j1' is paused" }],
  },
  {
    name: 'a layer too big for what is free names the largest free memory across the allocations it may use',
    given: farm({
      hosts: [
        ...Array.from({ length: 12 }, (_, i) => host(`g${i}`, { memoryMb: 128 * GB, busyMemoryMb: 80 * GB })),
        host('gpu1', { allocationId: 'lax.gpu', memoryMb: 64 * GB, busyMemoryMb: 32 * GB }),
      ],
      shows: [show('ab', { 'lax.general': [100, 200], 'lax.gpu': [10, 20] })],
      jobs: [job('sim', 'ab')],
      layers: [layer('big', 'sim', { memoryMb: 64 * GB, tags: ['general', 'gpu'] })],
      frames: frames('big', 1, 3),
    }),
    target: { layerId: 'big' },
    says: [
      {
        code: 'NO_HOST_HAS_RESOURCES',
        reason: "no UP host in 'lax.general' or 'lax.gpu' has 64 GB free (largest free: 48 GB on 12 hosts)",
      },
    ],
  },
  {
    name: 'a show at its burst says so, with the burst',
    given: simpleFarm({ sub: [1000, 2000, 2000] }),
    target: { jobId: 'j1' },
    says: [{ code: 'SHOW_AT_BURST', reason: "show 'ab' is at its burst of 2,000 cores in 'lax.general'" }],
  },
  {
    name: 'a full limit says how full',
    given: simpleFarm({ layer: { limits: ['nuke'] }, limits: [{ ...limit('nuke', 20, 20) }] }),
    target: { jobId: 'j1' },
    says: [{ code: 'LIMIT_REACHED', reason: "limit 'nuke' is at 20/20" }],
  },
  {
    name: 'a job that would run says where, and why the rest wait',
    given: simpleFarm({ hosts: [host('h1', { cores: 2 })], frames: 5 }),
    target: { jobId: 'j1' },
    says: [
      { code: 'WOULD_BOOK', reason: "2 frames would start in the next pass, on 'h1'" },
      {
        code: 'FARM_FULL',
        reason:
          "every UP host in 'lax.general' that can run layer 'render' is busy: none has 1 core free (largest free: 0 cores on 1 host)",
      },
    ],
  },
  {
    name: 'a frame that is not ready says so',
    given: simpleFarm({ frames: 1 }),
    target: { frameId: 99 },
    says: [
      { code: 'NOT_READY', reason: 'frame 99 is not waiting to run: it is running, finished, or not submitted, or waiting on a depend' },
    ],
  },
];

describe('explain() answers "why isn\'t it running?"', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(explain(c.given, c.target).lines.map(({ code, reason }) => ({ code, reason }))).toEqual(c.says);
  });

  it('a layer waiting on another names the frames it waits on', () => {
    const shot = depJob('shot', { sim: ['1-10'], render: ['1-10'] });
    const graph = new DependGraph();
    graph.addJob(shot.input);
    graph.add({ id: 'd', type: 'FRAME_BY_FRAME', depender: 'shot.render', on: 'shot.sim' });
    const given = farm({
      hosts: [host('h1', { cores: 0, memoryMb: 0 })],
      shows: [show('ab', { 'lax.general': [10, 10] })],
      jobs: [job('shot', 'ab')],
      layers: [layer('shot.sim', 'shot'), layer('shot.render', 'shot')],
      frames: [],
    });
    expect(explain(given, { layerId: 'shot.render' }, graph).lines).toEqual([
      { code: 'DEPEND', reason: "waiting on layer 'sim' frames 1-10", frames: 0 },
    ]);
  });
});
