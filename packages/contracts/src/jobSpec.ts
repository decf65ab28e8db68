/**
 * The job spec: what a submission says, from the web form, the REST API, the CLI and the
 * importers alike. Validated here once; errors carry the path (`layers[0].range`).
 */
import { z } from 'zod';
import { frameRangeError } from './frameRange';
import { outputPathSchema } from './media';
import { LAYER_TYPES } from './states';

/** Names used in paths and tokens: letters, digits, `.`, `_`, `-`. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may use only letters, digits, ".", "_" and "-", starting with a letter or digit');

export const frameRangeSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .superRefine((value, ctx) => {
    const error = frameRangeError(value);
    if (error) ctx.addIssue({ code: 'custom', message: error });
  });

export const tagSchema = z.string().regex(/^[A-Za-z0-9._-]+$/, 'a tag may use only letters, digits, ".", "_" and "-"');

export const layerSpecSchema = z.object({
  name: nameSchema,
  type: z.enum(LAYER_TYPES).default('RENDER'),
  command: z.string().trim().min(1, 'is required: the shell command each frame runs').max(10_000),
  range: frameRangeSchema,
  chunk: z.number().int('must be a whole number').min(1, 'must be at least 1').default(1),
  cores: z.number().positive('must be more than 0').max(1024).default(1),
  maxCores: z.number().positive().max(1024).optional(),
  threadable: z.boolean().default(false),
  memoryMb: z
    .number()
    .int()
    .min(1, 'must be at least 1 MB')
    .max(16 * 1024 * 1024)
    .default(1024),
  gpus: z.number().int().min(0).max(64).default(0),
  gpuMemoryMb: z.number().int().min(0).default(0),
  tags: z.array(tagSchema).default([]),
  limits: z.array(nameSchema).default([]),
  timeoutMinutes: z.number().positive('must be more than 0').optional(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not a valid environment variable name'), z.string()).default({}),
  /** Where the layer writes its images, relative to the media root (`#` padding or `%04d`): the layer then gets a preview. */
  outputPath: outputPathSchema.optional(),
  /** Names of layers of the same job this layer waits for, layer on layer. */
  dependsOn: z.array(nameSchema).default([]),
});

/** A job's priority: higher runs first among a show's jobs (submission, set_priority, REST, tRPC). */
export const prioritySchema = z.number().int().min(0).max(10_000);

export const jobSpecSchema = z
  .object({
    name: nameSchema,
    show: nameSchema,
    shot: z.string().trim().max(128).default(''),
    user: nameSchema,
    priority: prioritySchema.default(100),
    maxRetries: z.number().int().min(0, 'must be 0 or more').max(100).default(3),
    paused: z.boolean().default(false),
    comment: z.string().max(4000).optional(),
    layers: z.array(layerSpecSchema).min(1, 'a job needs at least one layer'),
  })
  .superRefine((job, ctx) => {
    const seen = new Set<string>();
    job.layers.forEach((layer, i) => {
      if (seen.has(layer.name))
        ctx.addIssue({ code: 'custom', path: ['layers', i, 'name'], message: `layer name '${layer.name}' is used twice` });
      seen.add(layer.name);
    });
    job.layers.forEach((layer, i) => {
      layer.dependsOn.forEach((dep, j) => {
        if (!seen.has(dep) || dep === layer.name)
          ctx.addIssue({ code: 'custom', path: ['layers', i, 'dependsOn', j], message: `no other layer named '${dep}' in this job` });
      });
    });
  });

export type JobSpec = z.output<typeof jobSpecSchema>;
export type JobSpecInput = z.input<typeof jobSpecSchema>;
export type LayerSpec = z.output<typeof layerSpecSchema>;

/** `layers[0].range`: the path of a zod issue as users and scripts read it. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export interface FieldError {
  path: string;
  message: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
}

/** One line per problem: "layers[0].range: Frame range '1-x' is not valid …". */
export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}
