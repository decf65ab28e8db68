/**
 * Farmhand's own spec as a file (YAML or JSON): one job spec, or a submission with `jobs` and
 * `depends`. Errors name the path (`jobs[1].layers[0].range`) and its line in the file.
 */
import type { SubmissionInput } from '@farmhand/contracts';
import { finish, type ImportOptions, type ImportResult, Problems } from './result';
import { readYaml } from './yamlFile';

export function importFarmhandSpec(text: string, options: ImportOptions = {}): ImportResult {
  const problems = new Problems(options.fileName ?? 'spec.yaml');
  const yaml = readYaml(text, problems);
  if (!yaml) return { ok: false, errors: problems.errors, warnings: [] };
  const value = yaml.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.error(1, 'spec', 'a job spec is a mapping with name, show, user and layers (or a submission with jobs)');
    return { ok: false, errors: problems.errors, warnings: [] };
  }
  const single = !('jobs' in value);
  // `range: 5` is a number to YAML; a frame range is text.
  const layers = (job: Record<string, unknown>) =>
    Array.isArray(job.layers)
      ? job.layers.map((l: unknown) =>
          typeof l === 'object' && l !== null && typeof (l as { range?: unknown }).range === 'number'
            ? { ...l, range: String((l as { range: number }).range) }
            : l,
        )
      : job.layers;
  const withDefaults = (job: Record<string, unknown>) => ({
    ...(options.show ? { show: options.show } : {}),
    ...(options.user ? { user: options.user } : {}),
    ...job,
    layers: layers(job),
  });
  const input = (
    single
      ? { jobs: [withDefaults(value as Record<string, unknown>)] }
      : {
          ...value,
          jobs: ((value as { jobs: unknown }).jobs as unknown[]).map((j) =>
            typeof j === 'object' && j !== null ? withDefaults(j as Record<string, unknown>) : j,
          ),
        }
  ) as SubmissionInput;
  return finish(problems, input, (path) => yaml.lineOf(single ? path.slice(2) : path));
}
