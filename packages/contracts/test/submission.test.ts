import { describe, expect, it } from 'vitest';
import { fieldErrors, submissionDependType, submissionSchema } from '../src';

const job = (name: string, layers: { name: string; dependsOn?: string[] }[] = [{ name: 'render' }]) => ({
  name,
  show: 'sandbox',
  user: 'alice',
  layers: layers.map((l) => ({ command: 'echo #FRAME#', range: '1-3', ...l })),
});

const refusals: { name: string; input: unknown; path: string; says: RegExp }[] = [
  { name: 'a job named twice', input: { jobs: [job('a'), job('a')] }, path: 'jobs[1].name', says: /used twice/ },
  {
    name: 'a depend on a job that is not in the submission',
    input: { jobs: [job('a')], depends: [{ job: 'a', onJob: 'zz' }] },
    path: 'depends[0].onJob',
    says: /no job named 'zz'/,
  },
  {
    name: 'a depend on a layer the job does not have',
    input: { jobs: [job('a'), job('b')], depends: [{ job: 'a', onJob: 'b', onLayer: 'comp' }] },
    path: 'depends[0].onLayer',
    says: /job 'b' has no layer named 'comp'/,
  },
  {
    name: 'a job depending on itself',
    input: { jobs: [job('a')], depends: [{ job: 'a', onJob: 'a' }] },
    path: 'depends[0]',
    says: /dependsOn/,
  },
  {
    name: 'a cycle through job-on-job and layer-on-job depends',
    input: {
      jobs: [job('a'), job('b'), job('c')],
      depends: [
        { job: 'b', onJob: 'a' },
        { job: 'c', onJob: 'b' },
        { job: 'a', layer: 'render', onJob: 'c' },
      ],
    },
    path: 'depends',
    says: /cycle: .*a.*c.*b/,
  },
  { name: 'no jobs at all', input: { jobs: [] }, path: 'jobs', says: /at least one job/ },
  {
    name: 'a bad frame range deep inside',
    input: { jobs: [job('a'), { ...job('b'), layers: [{ name: 'x', command: 'y', range: '1-x' }] }] },
    path: 'jobs[1].layers[0].range',
    says: /not valid/,
  },
];

describe('a submission (many jobs and the depends between them)', () => {
  it.each(refusals)('is refused for $name, naming $path', ({ input, path, says }) => {
    const result = submissionSchema.safeParse(input);
    expect(result.success).toBe(false);
    const error = fieldErrors(result.error!).find((e) => e.path === path);
    expect(error?.message).toMatch(says);
  });

  it('accepts a DAG of preflight → render → comp and knows each depend type', () => {
    const sub = submissionSchema.parse({
      jobs: [job('preflight'), job('render', [{ name: 'beauty' }, { name: 'shadow' }]), job('comp')],
      depends: [
        { job: 'render', onJob: 'preflight' },
        { job: 'comp', onJob: 'render', onLayer: 'beauty' },
        { job: 'comp', layer: 'render', onJob: 'render', onLayer: 'shadow' },
        { job: 'comp', layer: 'render', onJob: 'preflight' },
      ],
    });
    expect(sub.depends.map(submissionDependType)).toEqual(['JOB_ON_JOB', 'JOB_ON_LAYER', 'LAYER_ON_LAYER', 'LAYER_ON_JOB']);
    expect(sub.version).toBe(1);
  });

  it('accepts a chain of 10,000 jobs without overflowing the stack', () => {
    const jobs = Array.from({ length: 10_000 }, (_, i) => job(`j${i}`));
    const depends = jobs.slice(1).map((_, i) => ({ job: `j${i + 1}`, onJob: `j${i}` }));
    expect(submissionSchema.safeParse({ jobs, depends }).success).toBe(true);
  });
});
