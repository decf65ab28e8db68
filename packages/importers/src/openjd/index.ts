/**
 * OpenJD job templates (`jobtemplate-2023-09`, YAML or JSON) → a one-job Farmhand submission.
 * Each step becomes layers: the step's first INT task parameter is the frame (`#FRAME#`), and
 * every distinct value of its other task parameters gets a layer of its own (`Render-left`,
 * `Render-right`). Step dependencies become layer-on-layer depends on all of the step's layers.
 * A layer's command is a shell script that makes a session directory, writes the embedded files,
 * enters the job's and step's environments (variables and onEnter; onExit on the way out) and
 * runs onRun. Job parameters take the template's defaults, overridden by `options.parameters`.
 */
import { formatFrameList, type JobSpecInput, type LayerSpec } from '@farmhand/contracts';
import { isMap, isSeq } from 'yaml';
import { finish, type ImportOptions, type ImportResult, Problems as ProblemList, type Problems, shellQuote } from '../result';
import { readYaml } from '../yamlFile';
import { expandIntRange, expandParameterSpace, type Task, type TaskValue } from './parameterSpace';

type Json = Record<string, unknown>;
type Path = (string | number)[];

const SPEC = 'jobtemplate-2023-09';
const MAX_LAYERS_PER_STEP = 1000;
const asObj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const pathText = (p: Path) =>
  p.length === 0 ? 'template' : p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i === 0 ? x : `.${x}`)).join('');
const safeName = (text: string) =>
  text
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128) || 'step';

interface Ctx {
  problems: Problems;
  lineOf: (path: Path) => number;
  params: Map<string, string>;
}

function err(ctx: Ctx, path: Path, message: string): void {
  ctx.problems.error(ctx.lineOf(path), pathText(path), message);
}

/** Resolves `{{ Param.X }}`-style references; `task` maps Task.Param names to their value or `#FRAME#`. */
function format(ctx: Ctx, path: Path, text: string, task: Record<string, string> | null, files: Map<string, string>): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, ref: string) => {
    const m = /^(Param|RawParam|Task\.Param|Task\.RawParam|Task\.File|Env\.File|Session)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref);
    const [scope, name] = m ? [m[1] as string, m[2] as string] : ['', ''];
    if (scope === 'Param' || scope === 'RawParam') {
      const v = ctx.params.get(name);
      if (v !== undefined) return v;
    } else if ((scope === 'Task.Param' || scope === 'Task.RawParam') && task) {
      const v = task[name];
      if (v !== undefined) return v;
    } else if (scope === 'Task.File' || scope === 'Env.File') {
      const f = files.get(name);
      if (f !== undefined) return f;
    } else if (scope === 'Session' && name === 'WorkingDirectory') return '$FARMHAND_SESSION';
    err(ctx, path, `'${whole}' refers to nothing Farmhand knows here`);
    return whole;
  });
}

function resolveParameters(ctx: Ctx, template: Json, overrides: Record<string, string>): void {
  const defs = asArr(template.parameterDefinitions);
  const known = new Set<string>();
  for (const [i, raw] of defs.entries()) {
    const def = asObj(raw);
    const path: Path = ['parameterDefinitions', i];
    const name = String(def.name ?? '');
    const type = String(def.type ?? '');
    known.add(name);
    if (!['INT', 'FLOAT', 'STRING', 'PATH'].includes(type)) {
      err(ctx, [...path, 'type'], `'${type}' is not INT, FLOAT, STRING or PATH`);
      continue;
    }
    const value = overrides[name] ?? (def.default === undefined ? undefined : String(def.default));
    if (value === undefined) {
      err(ctx, path, `job parameter '${name}' has no default and no value was given`);
      continue;
    }
    if (type === 'INT' && !/^-?\d+$/.test(value)) {
      err(ctx, path, `job parameter '${name}' must be an integer, not '${value}'`);
      continue;
    }
    if (type === 'FLOAT' && !Number.isFinite(Number(value))) {
      err(ctx, path, `job parameter '${name}' must be a number, not '${value}'`);
      continue;
    }
    const allowed = asArr(def.allowedValues).map(String);
    if (allowed.length > 0 && !allowed.includes(value)) {
      err(ctx, path, `job parameter '${name}' must be one of ${allowed.join(', ')}, not '${value}'`);
      continue;
    }
    if (def.minValue !== undefined && Number(value) < Number(def.minValue)) {
      err(ctx, path, `job parameter '${name}' must be at least ${def.minValue}, not ${value}`);
      continue;
    }
    if (def.maxValue !== undefined && Number(value) > Number(def.maxValue)) {
      err(ctx, path, `job parameter '${name}' must be at most ${def.maxValue}, not ${value}`);
      continue;
    }
    ctx.params.set(name, value);
  }
  for (const name of Object.keys(overrides))
    if (!known.has(name)) err(ctx, ['parameterDefinitions'], `the template defines no job parameter '${name}'`);
}

interface Script {
  /** Lines of shell run before onRun, and after it (reversed environments' onExit). */
  enter: string[];
  exit: string[];
}

function action(ctx: Ctx, path: Path, raw: unknown, task: Record<string, string> | null, files: Map<string, string>): string | null {
  const a = asObj(raw);
  if (a.command === undefined) return null;
  const words = [String(a.command), ...asArr(a.args).map(String)].map((w, i) =>
    format(ctx, [...path, i === 0 ? 'command' : 'args'], w, task, files),
  );
  return words.map((w) => (w.startsWith('$FARMHAND_SESSION') ? `"${w}"` : shellQuote(w))).join(' ');
}

function embeddedFiles(
  ctx: Ctx,
  path: Path,
  raw: unknown,
  task: Record<string, string> | null,
  files: Map<string, string>,
  script: Script,
): void {
  const list = asArr(raw);
  // Names first: a file may refer to another of the same list.
  for (const f of list) {
    const o = asObj(f);
    files.set(String(o.name), `$FARMHAND_SESSION/${String(o.filename ?? o.name)}`);
  }
  for (const [i, f] of list.entries()) {
    const o = asObj(f);
    if ((o.type ?? 'TEXT') !== 'TEXT') {
      err(ctx, [...path, i, 'type'], `embedded file type '${o.type}' is not TEXT`);
      continue;
    }
    const target = `"$FARMHAND_SESSION"/${shellQuote(String(o.filename ?? o.name))}`;
    const data = format(ctx, [...path, i, 'data'], String(o.data ?? ''), task, files);
    script.enter.push(`printf '%s' ${shellQuote(data)} > ${target}`);
    if (o.runnable === true) script.enter.push(`chmod +x ${target}`);
  }
}

function environments(
  ctx: Ctx,
  path: Path,
  raw: unknown,
  task: Record<string, string> | null,
  files: Map<string, string>,
  script: Script,
  env: Record<string, string>,
): void {
  asArr(raw).forEach((e, i) => {
    const o = asObj(e);
    const p: Path = [...path, i];
    for (const [k, v] of Object.entries(asObj(o.variables))) env[k] = format(ctx, [...p, 'variables', k], String(v), task, files);
    const s = asObj(o.script);
    embeddedFiles(ctx, [...p, 'script', 'embeddedFiles'], s.embeddedFiles, task, files, script);
    const actions = asObj(s.actions);
    const enter = action(ctx, [...p, 'script', 'actions', 'onEnter'], actions.onEnter, task, files);
    if (enter) script.enter.push(enter);
    const exit = action(ctx, [...p, 'script', 'actions', 'onExit'], actions.onExit, task, files);
    if (exit) script.exit.unshift(exit);
  });
}

interface Requirements {
  cores?: number;
  memoryMb?: number;
  gpus?: number;
  gpuMemoryMb?: number;
  tags: string[];
}

function hostRequirements(ctx: Ctx, path: Path, raw: unknown): Requirements {
  const req: Requirements = { tags: [] };
  const h = asObj(raw);
  asArr(h.amounts).forEach((a, i) => {
    const o = asObj(a);
    const min = Number(o.min ?? 0);
    const name = String(o.name);
    if (name === 'amount.worker.vcpu') req.cores = min;
    else if (name === 'amount.worker.memory') req.memoryMb = Math.ceil(min);
    else if (name === 'amount.worker.gpu') req.gpus = Math.ceil(min);
    else if (name === 'amount.worker.gpu.memory') req.gpuMemoryMb = Math.ceil(min);
    else err(ctx, [...path, 'amounts', i, 'name'], `'${name}' is not an amount Farmhand can book (vcpu, memory, gpu, gpu.memory)`);
    if (o.max !== undefined)
      ctx.problems.warn(
        ctx.lineOf([...path, 'amounts', i]),
        pathText([...path, 'amounts', i, 'max']),
        'Farmhand books the minimum; a maximum is not enforced',
      );
  });
  asArr(h.attributes).forEach((a, i) => {
    const o = asObj(a);
    const name = String(o.name);
    const anyOf = asArr(o.anyOf).map(String);
    const allOf = asArr(o.allOf).map(String);
    const p: Path = [...path, 'attributes', i];
    if (name === 'attr.worker.os.family') {
      if (![...anyOf, ...allOf].includes('linux')) err(ctx, p, 'Farmhand hosts run Linux; this step asks for another OS');
    } else if (name.startsWith('attr.worker.')) err(ctx, p, `'${name}' is not an attribute Farmhand's hosts report`);
    else if (anyOf.length > 1) err(ctx, p, 'Farmhand tags are all required; anyOf with several values cannot be expressed');
    else req.tags.push(...[...anyOf, ...allOf].map((t) => safeName(`${name.replace(/^attr\./, '')}-${t}`)));
  });
  return req;
}

function stepLayers(ctx: Ctx, step: Json, i: number, jobEnv: Json[]): { layers: Omit<LayerSpec, 'dependsOn'>[]; name: string } {
  const path: Path = ['steps', i];
  const stepName = safeName(String(step.name ?? `step${i}`));
  const space = asObj(step.parameterSpace);
  const defs = asArr(space.taskParameterDefinitions).map(asObj);
  const values = new Map<string, TaskValue[]>();
  let frameParam: string | null = null;
  for (const [k, d] of defs.entries()) {
    const p: Path = [...path, 'parameterSpace', 'taskParameterDefinitions', k];
    const name = String(d.name);
    const type = String(d.type);
    if (!['INT', 'FLOAT', 'STRING', 'PATH'].includes(type)) {
      err(ctx, [...p, 'type'], `task parameter type '${type}' is not INT, FLOAT, STRING or PATH`);
      continue;
    }
    try {
      let list: TaskValue[];
      if (typeof d.range === 'string') {
        const text = format(ctx, [...p, 'range'], d.range, null, new Map());
        if (type !== 'INT') throw new Error('only INT parameters take a range expression; give a list');
        list = expandIntRange(text);
      } else
        list = asArr(d.range).map((v) =>
          type === 'INT'
            ? Number(format(ctx, [...p, 'range'], String(v), null, new Map()))
            : format(ctx, [...p, 'range'], String(v), null, new Map()),
        );
      if (list.length === 0) throw new Error('the range holds no values');
      if (type === 'INT' && list.some((v) => !Number.isInteger(v)))
        throw new Error('an INT parameter holds a value that is not an integer');
      values.set(name, list);
      if (type === 'INT' && frameParam === null) frameParam = name;
    } catch (e) {
      err(ctx, [...p, 'range'], (e as Error).message);
    }
  }
  let tasks: Task[] = [{}];
  if (values.size > 0 && values.size === defs.length) {
    try {
      tasks = expandParameterSpace(values, typeof space.combination === 'string' ? space.combination : undefined);
    } catch (e) {
      err(ctx, [...path, 'parameterSpace', 'combination'], (e as Error).message);
    }
  }
  // One layer per distinct value of the parameters that are not the frame.
  const groups = new Map<string, { task: Task; frames: number[] }>();
  for (const t of tasks) {
    const key = JSON.stringify(Object.entries(t).filter(([k]) => k !== frameParam));
    const group = groups.get(key) ?? { task: t, frames: [] };
    group.frames.push(frameParam ? (t[frameParam] as number) : 1);
    groups.set(key, group);
  }
  if (groups.size > MAX_LAYERS_PER_STEP)
    err(
      ctx,
      [...path, 'parameterSpace'],
      `the parameters other than the frame make ${groups.size} layers; at most ${MAX_LAYERS_PER_STEP} are allowed`,
    );
  const s = asObj(step.script);
  const req = hostRequirements(ctx, [...path, 'hostRequirements'], step.hostRequirements);
  const onRun = asObj(asObj(s.actions).onRun);
  if (onRun.command === undefined) err(ctx, [...path, 'script', 'actions', 'onRun'], 'a step needs an onRun action with a command');
  if (asObj(s.actions).onCancel !== undefined || onRun.cancelation !== undefined)
    ctx.problems.warn(
      ctx.lineOf([...path, 'script']),
      pathText([...path, 'script', 'actions']),
      'Farmhand cancels a frame by signalling its process group; custom cancelation is not run',
    );
  const layers: Omit<LayerSpec, 'dependsOn'>[] = [];
  for (const { task, frames } of groups.values()) {
    const taskText: Record<string, string> = {};
    for (const [k, v] of Object.entries(task)) taskText[k] = k === frameParam ? '#FRAME#' : String(v);
    const files = new Map<string, string>();
    const script: Script = { enter: [], exit: [] };
    const env: Record<string, string> = {};
    environments(ctx, ['jobEnvironments'], jobEnv, taskText, files, script, env);
    environments(ctx, [...path, 'stepEnvironments'], step.stepEnvironments, taskText, files, script, env);
    embeddedFiles(ctx, [...path, 'script', 'embeddedFiles'], s.embeddedFiles, taskText, files, script);
    const run = action(ctx, [...path, 'script', 'actions', 'onRun'], onRun, taskText, files) ?? 'true';
    const lines = ['set -e', 'FARMHAND_SESSION="$(mktemp -d)"', 'cd "$FARMHAND_SESSION"', ...script.enter];
    if (script.exit.length) lines.push(`trap ${shellQuote(script.exit.join('; '))} EXIT`);
    lines.push(run);
    const suffix = Object.entries(task)
      .filter(([k]) => k !== frameParam)
      .map(([, v]) => String(v));
    layers.push({
      name: safeName([stepName, ...suffix].join('-')),
      type: 'RENDER',
      command: lines.join('\n'),
      range: formatFrameList(frames),
      chunk: 1,
      cores: req.cores ?? 1,
      threadable: false,
      memoryMb: req.memoryMb ?? 1024,
      gpus: req.gpus ?? 0,
      gpuMemoryMb: req.gpuMemoryMb ?? 0,
      tags: req.tags,
      limits: [],
      env,
      ...(onRun.timeout !== undefined ? { timeoutMinutes: Number(onRun.timeout) / 60 } : {}),
    });
  }
  return { layers, name: String(step.name ?? '') };
}

export function importOpenJd(text: string, options: ImportOptions = {}): ImportResult {
  const file = options.fileName ?? 'template.yaml';
  const problems = new ProblemList(file);
  const yaml = readYaml(text, problems);
  if (!yaml) return { ok: false, errors: problems.errors, warnings: [] };
  const { doc, lineOf } = yaml;
  const template = asObj(yaml.value);
  const ctx: Ctx = { problems, lineOf, params: new Map() };
  if (!isMap(doc.contents)) {
    err(ctx, [], 'an OpenJD job template is a mapping');
    return { ok: false, errors: problems.errors, warnings: [] };
  }
  if (template.specificationVersion !== SPEC)
    err(ctx, ['specificationVersion'], `'${String(template.specificationVersion)}' is not supported: Farmhand reads ${SPEC}`);
  if (template.extensions !== undefined) err(ctx, ['extensions'], 'extensions are not supported by Farmhand');
  if (!isSeq(doc.get('steps', true)) || asArr(template.steps).length === 0) err(ctx, ['steps'], 'a job template needs at least one step');
  if (problems.errors.length) return { ok: false, errors: problems.errors, warnings: [] };
  resolveParameters(ctx, template, options.parameters ?? {});

  const jobEnv = asArr(template.jobEnvironments).map(asObj);
  const layers: JobSpecInput['layers'] = [];
  const layersOfStep = new Map<string, string[]>();
  /** Where each step's layers start and end in `layers`. */
  const spans: [number, number][] = [];
  const layerPath: Path[] = [];
  const steps = asArr(template.steps).map(asObj);
  steps.forEach((step, i) => {
    const { layers: made, name } = stepLayers(ctx, step, i, jobEnv);
    if (layersOfStep.has(name)) err(ctx, ['steps', i, 'name'], `step name '${name}' is used twice`);
    layersOfStep.set(
      name,
      made.map((l) => l.name),
    );
    spans.push([layers.length, layers.length + made.length]);
    for (const l of made) {
      layers.push({ ...l, dependsOn: [] });
      layerPath.push(['steps', i]);
    }
  });
  steps.forEach((step, i) => {
    const on = asArr(step.dependencies).flatMap((d, j) => {
      const target = String(asObj(d).dependsOn);
      const names = layersOfStep.get(target);
      if (!names) err(ctx, ['steps', i, 'dependencies', j, 'dependsOn'], `no step named '${target}'`);
      return names ?? [];
    });
    const [from, to] = spans[i] ?? [0, 0];
    for (let k = from; k < to; k++) (layers[k] as { dependsOn: string[] }).dependsOn = on;
  });
  const name = format(ctx, ['name'], String(template.name ?? 'openjd-job'), null, new Map());
  const job: JobSpecInput = {
    name: safeName(name),
    show: options.show ?? '',
    user: options.user ?? '',
    ...(typeof template.description === 'string' ? { comment: template.description.slice(0, 4000) } : {}),
    layers,
  };
  if (!options.show) err(ctx, [], 'an OpenJD template does not name a show: give one (farmhand submit --show NAME)');
  if (!options.user) err(ctx, [], 'an OpenJD template does not name a user: give one (farmhand submit --user NAME)');
  return finish(problems, { jobs: [job] }, (path) => {
    const [, , what, li] = path;
    if (what === 'layers' && typeof li === 'number') return lineOf(layerPath[li] ?? []);
    return 0;
  });
}
