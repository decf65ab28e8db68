/**
 * The submit form's values (as typed: strings) and how they become a job spec, plus the
 * frame count the form shows as the user types a range. Validation itself is the shared
 * job spec schema, here and again on the server.
 */
import { type FieldError, fieldErrors, type JobSpecInput, jobSpecSchema, parseFrameRange } from '@farmhand/contracts';

export interface SubmitValues {
  name: string;
  show: string;
  shot: string;
  user: string;
  layerName: string;
  command: string;
  range: string;
  chunk: string;
  cores: string;
  memoryMb: string;
  maxRetries: string;
}

export const INITIAL_VALUES: SubmitValues = {
  name: '',
  show: '',
  shot: '',
  user: '',
  layerName: 'render',
  command: 'echo rendering frame #FRAME#',
  range: '1-10',
  chunk: '1',
  cores: '1',
  memoryMb: '1024',
  maxRetries: '3',
};

/** Which form field shows the error of each job spec path. */
export const FIELD_OF_PATH: Record<string, keyof SubmitValues> = {
  name: 'name',
  show: 'show',
  shot: 'shot',
  user: 'user',
  maxRetries: 'maxRetries',
  'layers[0].name': 'layerName',
  'layers[0].command': 'command',
  'layers[0].range': 'range',
  'layers[0].chunk': 'chunk',
  'layers[0].cores': 'cores',
  'layers[0].memoryMb': 'memoryMb',
};

/** A number field: empty or not a number stays as text so the schema names the field in its error. */
function num(text: string): number | string {
  const t = text.trim();
  if (t === '') return t;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

export function toJobSpec(v: SubmitValues): JobSpecInput {
  return {
    name: v.name,
    show: v.show,
    shot: v.shot,
    user: v.user,
    maxRetries: num(v.maxRetries) as number,
    layers: [
      {
        name: v.layerName,
        command: v.command,
        range: v.range,
        chunk: num(v.chunk) as number,
        cores: num(v.cores) as number,
        memoryMb: num(v.memoryMb) as number,
      },
    ],
  };
}

export type FormErrors = Partial<Record<keyof SubmitValues | 'form', string>>;

/** Field errors (from the client schema or the server) placed on the form's fields. */
export function placeErrors(errors: readonly FieldError[]): FormErrors {
  const out: FormErrors = {};
  for (const e of errors) {
    const field = FIELD_OF_PATH[e.path] ?? 'form';
    const message = field === 'form' && e.path ? `${e.path}: ${e.message}` : e.message;
    out[field] ??= message;
  }
  return out;
}

const NUMBER_FIELDS = ['chunk', 'cores', 'memoryMb', 'maxRetries'] as const;

export function validate(v: SubmitValues): { spec: JobSpecInput; errors: FormErrors } {
  const spec = toJobSpec(v);
  const result = jobSpecSchema.safeParse(spec);
  const errors = result.success ? {} : placeErrors(fieldErrors(result.error));
  for (const field of NUMBER_FIELDS) {
    const text = v[field].trim();
    if (text === '') errors[field] = 'is required';
    else if (typeof num(text) === 'string') errors[field] = `'${text}' is not a number`;
  }
  return { spec, errors };
}

/** "12 frames in 3 chunks", or the grammar's error, as the user types the range. */
export function describeRange(range: string, chunkText: string): { ok: boolean; text: string } {
  if (range.trim() === '') return { ok: false, text: 'Frame range: is required' };
  try {
    const frames = parseFrameRange(range).length;
    const chunk = Number(chunkText);
    const plural = (n: number, w: string) => `${n.toLocaleString('en-US')} ${w}${n === 1 ? '' : 's'}`;
    if (Number.isInteger(chunk) && chunk > 1)
      return { ok: true, text: `${plural(frames, 'frame')} in ${plural(Math.ceil(frames / chunk), 'chunk')}` };
    return { ok: true, text: plural(frames, 'frame') };
  } catch (e) {
    return { ok: false, text: e instanceof Error ? e.message : String(e) };
  }
}
