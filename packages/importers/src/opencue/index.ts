/**
 * OpenCue job spec XML (the `<spec>` outline.py and cuesubmit write, cjsl DTD) → a Farmhand
 * submission: every `<job>` a job, every `<layer>` a layer (cmd, range, chunk, cores, memory,
 * GPUs, tags, limits, env, timeout, first output), and `<depends>` between jobs as submission
 * depends — within one job, LAYER_ON_LAYER becomes the layer's dependsOn. OpenCue's command
 * tokens (#IFRAME#, #FRAME_START#, …) are Farmhand's too and pass through unchanged.
 */
import { type JobSpecInput, outputPathError, type SubmissionInput } from '@farmhand/contracts';
import { finish, type ImportOptions, type ImportResult, Problems } from '../result';
import { parseXml, type XmlElement, XmlSyntaxError } from './xmlTree';

type LayerInput = JobSpecInput['layers'][number];
const bool = (t: string) => /^(true|1|yes)$/i.test(t.trim());
const child = (el: XmlElement, name: string) => el.children.find((c) => c.name === name);
const text = (el: XmlElement | undefined) => el?.text.trim() ?? '';

const LAYER_TYPES: Record<string, LayerInput['type']> = { render: 'RENDER', util: 'UTIL', pre: 'PRE', post: 'POST', preview: 'PREVIEW' };

/** `4g`, `512m`, `2048k`, `1024` (MB). */
function memoryMb(t: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)b?$/i.exec(t.trim());
  if (!m) return null;
  const scale = { '': 1, k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.max(1, Math.ceil(Number(m[1]) * scale));
}

function envOf(el: XmlElement | undefined, problems: Problems): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of el?.children ?? []) {
    if (k.name !== 'key' || !k.attributes.name) problems.error(k.line, `<env><${k.name}>`, 'expected <key name="VAR">value</key>');
    else env[k.attributes.name] = k.text;
  }
  return env;
}

function layer(el: XmlElement, problems: Problems): LayerInput {
  const l: LayerInput = { name: el.attributes.name ?? '', command: '', range: '' };
  const type = LAYER_TYPES[(el.attributes.type ?? 'Render').toLowerCase()];
  if (!type) problems.error(el.line, `<layer type="${el.attributes.type}">`, 'expected Render, Util, Pre, Post or Preview');
  else l.type = type;
  const number = (c: XmlElement, min: number, what: string): number | undefined => {
    const n = Number(text(c));
    if (text(c) === '' || !Number.isFinite(n) || n < min) {
      problems.error(c.line, `<${c.name}>`, `'${text(c)}' is not ${what}`);
      return undefined;
    }
    return n;
  };
  for (const c of el.children) {
    switch (c.name) {
      case 'cmd':
        l.command = text(c);
        break;
      case 'range':
        l.range = text(c);
        break;
      case 'chunk':
        l.chunk = number(c, 1, 'a chunk size of 1 or more');
        break;
      case 'cores':
        l.cores = number(c, 0.01, 'a positive number of cores (OpenCue’s “all cores but N” is not supported)');
        break;
      case 'threadable':
        l.threadable = bool(text(c));
        break;
      case 'memory': {
        const mb = memoryMb(text(c));
        if (mb === null) problems.error(c.line, '<memory>', `'${text(c)}' is not a size such as 4g or 512m`);
        else l.memoryMb = mb;
        break;
      }
      case 'gpus':
        l.gpus = number(c, 0, 'a whole number of GPUs');
        break;
      case 'gpu':
      case 'gpu_memory': {
        const mb = memoryMb(text(c));
        if (mb === null) problems.error(c.line, `<${c.name}>`, `'${text(c)}' is not a size such as 4g`);
        else l.gpuMemoryMb = mb;
        break;
      }
      case 'timeout':
        if (Number(text(c)) > 0) l.timeoutMinutes = Number(text(c));
        break;
      case 'tags':
        l.tags = text(c)
          .split('|')
          .map((t) => t.trim())
          .filter(Boolean);
        break;
      case 'limits':
        l.limits = c.children.map(text);
        break;
      case 'env':
        l.env = envOf(c, problems);
        break;
      case 'outputs': {
        const outputs = c.children.filter((o) => o.name === 'output');
        const first = outputs[0] ? text(outputs[0]) : '';
        // Previews read images under the media root only (relative paths): an absolute studio
        // path is left out with a warning rather than refusing the whole import.
        const pathProblem = first ? outputPathError(first) : null;
        if (first && !pathProblem) l.outputPath = first;
        else if (first) problems.warn(c.line, '<outputs>', `no preview for this layer: output path ${pathProblem}`);
        if (outputs.length > 1)
          problems.warn(
            c.line,
            '<outputs>',
            `Farmhand keeps one output path per layer; '${text(outputs[0])}' is kept for previews, the others are only listed in the spec`,
          );
        break;
      }
      case 'services':
        problems.warn(
          c.line,
          '<services>',
          `Farmhand has no services; the layer's own cores and memory apply (${c.children.map(text).join(', ')})`,
        );
        break;
      case 'timeout_llu':
      case 'memory_optimizer_enabled':
        problems.warn(c.line, `<${c.name}>`, 'has no effect on Farmhand');
        break;
      default:
        problems.error(c.line, `<layer><${c.name}>`, `'${c.name}' is not part of an OpenCue layer Farmhand understands`);
    }
  }
  return l;
}

export function importOpenCue(xml: string, options: ImportOptions = {}): ImportResult {
  const file = options.fileName ?? 'spec.xml';
  const problems = new Problems(file);
  let spec: XmlElement;
  try {
    spec = parseXml(xml);
  } catch (e) {
    const line = e instanceof XmlSyntaxError ? e.line : 0;
    problems.error(line, 'XML', (e as Error).message);
    return { ok: false, errors: problems.errors, warnings: [] };
  }
  if (spec.name !== 'spec') problems.error(spec.line, `<${spec.name}>`, 'an OpenCue job spec starts with <spec>');
  const header = { show: options.show ?? '', shot: '', user: options.user ?? '' };
  const jobs: JobSpecInput[] = [];
  const jobLines: number[] = [];
  const depends: NonNullable<SubmissionInput['depends']> = [];
  const dependLines: number[] = [];
  const jobEls: XmlElement[] = [];
  for (const c of spec.children) {
    if (c.name === 'show') header.show = text(c);
    else if (c.name === 'shot') header.shot = text(c);
    else if (c.name === 'user') header.user = text(c);
    else if (c.name === 'facility' || c.name === 'uid')
      problems.warn(c.line, `<${c.name}>`, 'Farmhand runs frames as <user> on whichever allocation the show subscribes to');
    else if (c.name === 'email') problems.warn(c.line, '<email>', 'Farmhand does not send e-mail yet');
    else if (c.name === 'job') jobEls.push(c);
    else if (c.name !== 'depends')
      problems.error(c.line, `<spec><${c.name}>`, `'${c.name}' is not part of an OpenCue spec Farmhand understands`);
  }
  for (const j of jobEls) {
    const job: JobSpecInput = { name: j.attributes.name ?? '', ...header, layers: [] };
    let jobEnv: Record<string, string> = {};
    for (const c of j.children) {
      switch (c.name) {
        case 'paused':
          job.paused = bool(text(c));
          break;
        case 'priority':
          job.priority = Number(text(c));
          break;
        case 'maxretries':
          job.maxRetries = Number(text(c));
          break;
        case 'autoeat':
          if (bool(text(c))) problems.error(c.line, '<autoeat>', 'Farmhand does not eat dead frames by itself; eat them with farmhand eat');
          break;
        case 'env':
          jobEnv = envOf(c, problems);
          break;
        case 'layers':
          for (const l of c.children) {
            if (l.name !== 'layer') problems.error(l.line, `<layers><${l.name}>`, 'expected <layer>');
            else job.layers.push(layer(l, problems));
          }
          break;
        case 'maxcores':
        case 'mincores':
        case 'maxgpus':
        case 'mingpus':
          problems.error(c.line, `<${c.name}>`, 'Farmhand limits a show through its subscriptions, not per job');
          break;
        case 'os':
          problems.warn(c.line, '<os>', 'Farmhand hosts run Linux');
          break;
        default:
          problems.error(c.line, `<job><${c.name}>`, `'${c.name}' is not part of an OpenCue job Farmhand understands`);
      }
    }
    // The job's environment is every layer's, under the layer's own variables.
    job.layers = job.layers.map((l) => ({ ...l, env: { ...jobEnv, ...(l.env ?? {}) } }));
    jobs.push(job);
    jobLines.push(j.line);
  }
  for (const d of child(spec, 'depends')?.children ?? []) {
    const type = (d.attributes.type ?? '').toUpperCase();
    const construct = `<depend type="${d.attributes.type ?? ''}">`;
    if (bool(d.attributes.anyframe ?? 'false')) {
      problems.error(d.line, construct, 'anyframe depends are not supported: Farmhand waits for the whole job or layer');
      continue;
    }
    const dep = {
      job: text(child(d, 'depjob')),
      layer: text(child(d, 'deplayer')),
      onJob: text(child(d, 'onjob')),
      onLayer: text(child(d, 'onlayer')),
    };
    const wanted = { JOB_ON_JOB: [false, false], JOB_ON_LAYER: [false, true], LAYER_ON_JOB: [true, false], LAYER_ON_LAYER: [true, true] }[
      type
    ];
    if (!wanted) {
      problems.error(
        d.line,
        construct,
        `${type || 'a depend without a type'} is not supported: Farmhand depends are JOB_ON_JOB, JOB_ON_LAYER, LAYER_ON_JOB or LAYER_ON_LAYER`,
      );
      continue;
    }
    if (!dep.job || !dep.onJob || wanted[0] !== (dep.layer !== '') || wanted[1] !== (dep.onLayer !== '')) {
      problems.error(
        d.line,
        construct,
        `${type} needs <depjob>${wanted[0] ? ', <deplayer>' : ''}, <onjob>${wanted[1] ? ' and <onlayer>' : ''}, and nothing more`,
      );
      continue;
    }
    if (dep.job === dep.onJob) {
      const target = jobs[jobEls.findIndex((j) => j.attributes.name === dep.job)];
      const l = target?.layers.find((x) => x.name === dep.layer);
      if (type !== 'LAYER_ON_LAYER' || !l) {
        problems.error(d.line, construct, `within job '${dep.job}' only LAYER_ON_LAYER between two of its layers is possible`);
        continue;
      }
      l.dependsOn = [...(l.dependsOn ?? []), dep.onLayer];
      continue;
    }
    depends.push({
      job: dep.job,
      onJob: dep.onJob,
      ...(dep.layer ? { layer: dep.layer } : {}),
      ...(dep.onLayer ? { onLayer: dep.onLayer } : {}),
    });
    dependLines.push(d.line);
  }
  if (jobEls.length === 0) problems.error(spec.line, '<spec>', 'the spec holds no <job>');
  return finish(problems, { jobs, depends }, (path) => {
    const [kind, i, key, li] = path;
    if (kind === 'jobs' && typeof i === 'number') {
      const j = jobEls[i];
      if (key === 'layers' && typeof li === 'number')
        return j?.children.find((c) => c.name === 'layers')?.children[li]?.line ?? j?.line ?? 0;
      if (key === 'show' || key === 'user' || key === 'shot') return child(spec, key)?.line ?? j?.line ?? 0;
      return j?.line ?? 0;
    }
    if (kind === 'depends' && typeof i === 'number') return dependLines[i] ?? 0;
    return 0;
  });
}
