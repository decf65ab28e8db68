/**
 * An HTCondor submit description (the `.sub` file a DAG's JOB names), read into what a
 * Farmhand layer needs: the shell command, cores, memory, GPUs, environment and how many
 * processes `queue N` asks for. Macros `$(name)` come from the DAG's VARS and the file itself;
 * `$(Process)` becomes the frame number.
 */
import { shellQuote } from '../result';

export interface SubmitDescription {
  command: string;
  cores: number;
  memoryMb: number;
  gpus: number;
  env: Record<string, string>;
  /** Processes queued: frames 0 … count-1. */
  count: number;
}

export interface SubmitProblem {
  /** Line in the submit file. */
  line: number;
  key: string;
  message: string;
  warning?: boolean;
}

/** Keys that change nothing about how the frame runs on a Farmhand host. */
const HARMLESS = new Set(['universe', 'log', 'notification', 'notify_user', 'getenv', 'should_transfer_files', 'when_to_transfer_output']);

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  K: 1 / 1024,
  KB: 1 / 1024,
  M: 1,
  MB: 1,
  G: 1024,
  GB: 1024,
  T: 1024 * 1024,
  TB: 1024 * 1024,
};

function memoryMb(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]B?)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = MEMORY_UNITS[(m[2] ?? '').toUpperCase()];
  return unit === undefined ? null : Math.max(1, Math.ceil(Number(m[1]) * unit));
}

/** HTCondor's arguments: the new syntax in double quotes (single quotes group, doubled quotes escape), or the old space-separated one. */
export function splitArguments(text: string): string[] {
  const t = text.trim();
  if (!t.startsWith('"')) return t === '' ? [] : t.split(/\s+/);
  const body = t.slice(1, t.endsWith('"') ? -1 : undefined).replace(/""/g, '"');
  const out: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch === "'") {
      inWord = true;
      for (i++; i < body.length; i++) {
        if (body[i] === "'" && body[i + 1] === "'") {
          word += "'";
          i++;
        } else if (body[i] === "'") break;
        else word += body[i];
      }
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

/** `environment = "A=1 B='two words'"` (new syntax) or `A=1;B=2` (old). */
function parseEnvironment(text: string): Record<string, string> | null {
  const t = text.trim();
  const words = t.startsWith('"') ? splitArguments(t) : t.split(';').filter((w) => w.trim() !== '');
  const env: Record<string, string> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) return null;
    env[w.slice(0, eq).trim()] = w.slice(eq + 1);
  }
  return env;
}

export function parseSubmitDescription(
  text: string,
  vars: Record<string, string>,
): { description: SubmitDescription; problems: SubmitProblem[] } {
  const problems: SubmitProblem[] = [];
  const values = new Map<string, { value: string; line: number }>();
  let count: number | null = null;
  const lines = text.split(/\r?\n/);
  const expand = (value: string, line: number, key: string): string =>
    value.replace(/\$\(([A-Za-z_][A-Za-z0-9_.]*)\)/g, (whole, name: string) => {
      const lower = name.toLowerCase();
      if (lower === 'process' || lower === 'procid') return '#FRAME#';
      const fromVars = Object.entries(vars).find(([k]) => k.toLowerCase() === lower);
      if (fromVars) return fromVars[1];
      const own = values.get(lower);
      if (own) return own.value;
      problems.push({ line, key, message: `the macro ${whole} is not defined here or by the DAG's VARS` });
      return whole;
    });
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    const line = i + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    const queue = /^queue(?:\s+(.*))?$/i.exec(raw);
    if (queue) {
      const arg = (queue[1] ?? '').trim();
      if (count !== null)
        problems.push({ line, key: 'queue', message: 'a second queue statement: one DAG node is one cluster; split it into two JOBs' });
      else if (arg === '') count = 1;
      else if (/^\d+$/.test(arg) && Number(arg) >= 1) count = Number(arg);
      else
        problems.push({
          line,
          key: 'queue',
          message: `'queue ${arg}' is not supported: use 'queue' or 'queue N' (N processes become frames 0…N-1)`,
        });
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq <= 0) {
      problems.push({ line, key: raw.split(/\s+/)[0] ?? raw, message: 'expected key = value or queue' });
      continue;
    }
    const key = raw.slice(0, eq).trim().toLowerCase();
    values.set(key, { value: raw.slice(eq + 1).trim(), line });
  }
  if (count === null)
    problems.push({ line: lines.length, key: 'queue', message: 'the submit file has no queue statement, so it queues nothing' });

  const get = (key: string) => {
    const v = values.get(key);
    return v ? { value: expand(v.value, v.line, key), line: v.line } : undefined;
  };
  const description: SubmitDescription = { command: '', cores: 1, memoryMb: 1024, gpus: 0, env: {}, count: count ?? 1 };
  const executable = get('executable');
  if (!executable || executable.value === '') problems.push({ line: 0, key: 'executable', message: 'the submit file names no executable' });
  const words = [executable?.value ?? '', ...splitArguments(get('arguments')?.value ?? '')];
  let command = words.map(shellQuote).join(' ');
  const dir = get('initialdir') ?? get('initial_dir');
  if (dir) command = `cd ${shellQuote(dir.value)} && ${command}`;
  const output = get('output');
  if (output) command += ` > ${shellQuote(output.value)}`;
  const error = get('error');
  if (error) command += ` 2> ${shellQuote(error.value)}`;
  const input = get('input');
  if (input) command += ` < ${shellQuote(input.value)}`;
  description.command = command;

  for (const [key, { line }] of values) {
    const v = get(key)?.value ?? '';
    switch (key) {
      case 'executable':
      case 'arguments':
      case 'initialdir':
      case 'initial_dir':
      case 'output':
      case 'error':
      case 'input':
        break;
      case 'request_cpus':
        if (/^\d+$/.test(v) && Number(v) >= 1) description.cores = Number(v);
        else problems.push({ line, key, message: `'${v}' is not a whole number of cores` });
        break;
      case 'request_memory': {
        const mb = memoryMb(v);
        if (mb === null) problems.push({ line, key, message: `'${v}' is not a memory size such as 2048, 512M or 4G` });
        else description.memoryMb = mb;
        break;
      }
      case 'request_gpus':
        if (/^\d+$/.test(v)) description.gpus = Number(v);
        else problems.push({ line, key, message: `'${v}' is not a whole number of GPUs` });
        break;
      case 'environment': {
        const env = parseEnvironment(v);
        if (env) description.env = env;
        else problems.push({ line, key, message: `'${v}' is not a list of NAME=value` });
        break;
      }
      default:
        if (HARMLESS.has(key))
          problems.push({ line, key, message: 'has no effect on Farmhand (logs and file transfer are the farm’s own)', warning: true });
        else if (key.startsWith('+') || key.startsWith('my.'))
          problems.push({ line, key, message: 'a custom ClassAd attribute has no meaning to Farmhand', warning: true });
        else problems.push({ line, key, message: `'${key}' is not supported by Farmhand's DAGMan importer` });
    }
  }
  return { description, problems };
}
