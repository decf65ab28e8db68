/**
 * A submission: many jobs and the depends between them, accepted or refused as a whole (a
 * whole-shot DAG: preflight → render → comp). Jobs are named within the submission; depends
 * name a job and optionally one of its layers on each side:
 *   { job: 'comp', onJob: 'render' }                          JOB_ON_JOB
 *   { job: 'comp', layer: 'nuke', onJob: 'render' }           LAYER_ON_JOB
 *   { job: 'comp', onJob: 'render', onLayer: 'beauty' }       JOB_ON_LAYER
 *   { job: 'comp', layer: 'nuke', onJob: 'render', onLayer: 'beauty' }  LAYER_ON_LAYER
 * `limits` are created when the farm does not have them yet (HTCondor's MAXJOBS per CATEGORY),
 * and left as they are when it does.
 */
import { z } from 'zod';
import { jobSpecSchema, nameSchema } from './jobSpec';
import type { DependType } from './states';

/** The version of the job spec and submission schemas, published with the JSON Schema. */
export const JOB_SPEC_VERSION = 1;

/** A 5,000-job DAG is the largest benchmarked; the bound protects memory from runaway generators. */
export const MAX_JOBS_PER_SUBMISSION = 10_000;

export const submissionDependSchema = z.object({
  job: nameSchema,
  layer: nameSchema.optional(),
  onJob: nameSchema,
  onLayer: nameSchema.optional(),
});

export const submissionLimitSchema = z.object({
  name: nameSchema,
  max: z.number().int('must be a whole number').min(0, 'must be 0 or more'),
});

export type SubmissionDepend = z.output<typeof submissionDependSchema>;

export function submissionDependType(d: SubmissionDepend): DependType {
  if (d.layer) return d.onLayer ? 'LAYER_ON_LAYER' : 'LAYER_ON_JOB';
  return d.onLayer ? 'JOB_ON_LAYER' : 'JOB_ON_JOB';
}

export const submissionSchema = z
  .object({
    version: z.literal(JOB_SPEC_VERSION).default(JOB_SPEC_VERSION),
    jobs: z
      .array(jobSpecSchema)
      .min(1, 'a submission needs at least one job')
      .max(MAX_JOBS_PER_SUBMISSION, `a submission may hold at most ${MAX_JOBS_PER_SUBMISSION} jobs`),
    depends: z.array(submissionDependSchema).max(1_000_000).default([]),
    limits: z.array(submissionLimitSchema).default([]),
  })
  .superRefine((sub, ctx) => {
    const layersByJob = new Map<string, Set<string>>();
    sub.jobs.forEach((job, i) => {
      if (layersByJob.has(job.name))
        ctx.addIssue({ code: 'custom', path: ['jobs', i, 'name'], message: `job name '${job.name}' is used twice in this submission` });
      layersByJob.set(job.name, new Set(job.layers.map((l) => l.name)));
    });
    sub.depends.forEach((d, i) => {
      for (const [jobKey, layerKey] of [
        ['job', 'layer'],
        ['onJob', 'onLayer'],
      ] as const) {
        const layers = layersByJob.get(d[jobKey]);
        if (!layers)
          ctx.addIssue({ code: 'custom', path: ['depends', i, jobKey], message: `no job named '${d[jobKey]}' in this submission` });
        const layer = d[layerKey];
        if (layers && layer !== undefined && !layers.has(layer))
          ctx.addIssue({ code: 'custom', path: ['depends', i, layerKey], message: `job '${d[jobKey]}' has no layer named '${layer}'` });
      }
      if (d.job === d.onJob)
        ctx.addIssue({
          code: 'custom',
          path: ['depends', i],
          message: `a depend joins two jobs; within job '${d.job}' use the layer's dependsOn`,
        });
    });
    const seenLimits = new Set<string>();
    sub.limits.forEach((l, i) => {
      if (seenLimits.has(l.name))
        ctx.addIssue({ code: 'custom', path: ['limits', i, 'name'], message: `limit '${l.name}' is listed twice` });
      seenLimits.add(l.name);
    });
    const cycle = findCycle(sub.jobs, sub.depends);
    if (cycle) ctx.addIssue({ code: 'custom', path: ['depends'], message: `the depends form a cycle: ${cycle.join(' → ')}` });
  });

export type Submission = z.output<typeof submissionSchema>;
export type SubmissionInput = z.input<typeof submissionSchema>;

/**
 * A cycle among layers, or null. Each job gets a start and an end node so that a job-level
 * depend costs one edge however many layers the jobs have: a job's layers wait for its start,
 * its end waits for its layers.
 */
export function findCycle(
  jobs: readonly { name: string; layers: readonly { name: string; dependsOn: readonly string[] }[] }[],
  depends: readonly SubmissionDepend[],
): string[] | null {
  const edges = new Map<string, string[]>(); // node → nodes it waits for
  const add = (from: string, to: string) => {
    const list = edges.get(from);
    if (list) list.push(to);
    else edges.set(from, [to]);
  };
  const start = (job: string) => `${job}:start`;
  const end = (job: string) => `${job}:end`;
  const layer = (job: string, name: string) => `${job}.${name}`;
  for (const job of jobs) {
    for (const l of job.layers) {
      add(layer(job.name, l.name), start(job.name));
      add(end(job.name), layer(job.name, l.name));
      for (const on of l.dependsOn) add(layer(job.name, l.name), layer(job.name, on));
    }
  }
  for (const d of depends) {
    const from = d.layer ? layer(d.job, d.layer) : start(d.job);
    const to = d.onLayer ? layer(d.onJob, d.onLayer) : end(d.onJob);
    add(from, to);
  }
  // Iterative depth-first search: a 10,000-job chain would overflow the stack recursively.
  const state = new Map<string, 1 | 2>(); // 1: on the path, 2: done
  for (const root of edges.keys()) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const next: number[] = [0];
    state.set(root, 1);
    while (path.length > 0) {
      const node = path[path.length - 1] as string;
      const out = edges.get(node) ?? [];
      const i = next[next.length - 1] as number;
      if (i >= out.length) {
        state.set(node, 2);
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const to = out[i] as string;
      const s = state.get(to);
      if (s === 1) {
        const from = path.indexOf(to);
        const named = [...path.slice(from), to].map((n) => n.replace(/:(start|end)$/, ''));
        return named.filter((n, k) => k === 0 || n !== named[k - 1]);
      }
      if (s === undefined) {
        state.set(to, 1);
        path.push(to);
        next.push(0);
      }
    }
  }
  return null;
}
