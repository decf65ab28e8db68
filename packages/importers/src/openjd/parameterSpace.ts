/**
 * OpenJD task parameter spaces (jobtemplate-2023-09): the values of each task parameter (an
 * INT range expression such as `1-10:2,20` or a list) and the combination expression that
 * joins them — `A * B` is every pairing (product), `(A, B)` pairs them in order
 * (association, equal lengths). With no expression, the product of all parameters in the
 * order they are defined.
 */

export type TaskValue = string | number;
export type Task = Record<string, TaskValue>;

/** `1-10`, `1-10:2`, `10-1:-1`, `1,3,5-7`: OpenJD's integer range expression. */
export function expandIntRange(expr: string): number[] {
  const out: number[] = [];
  for (const rawPart of expr.split(',')) {
    const part = rawPart.trim();
    const m = /^(-?\d+)(?:\s*-\s*(-?\d+)(?:\s*:\s*(-?\d+))?)?$/.exec(part);
    if (!m) throw new Error(`'${part}' is not an integer, a range a-b or a range with a step a-b:s`);
    const start = Number(m[1]);
    if (m[2] === undefined) {
      out.push(start);
      continue;
    }
    const end = Number(m[2]);
    const step = m[3] === undefined ? (end >= start ? 1 : -1) : Number(m[3]);
    if (step === 0 || (end - start) * step < 0) throw new Error(`the step ${step} never gets from ${start} to ${end}`);
    if (Math.abs(end - start) / Math.abs(step) > 1_000_000) throw new Error(`'${part}' holds more than 1,000,000 values`);
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) out.push(v);
  }
  return out;
}

type Node = { kind: 'param'; name: string } | { kind: 'product' | 'association'; parts: Node[] };

function parseCombination(expr: string, names: readonly string[]): Node {
  const tokens = expr.match(/[A-Za-z_][A-Za-z0-9_]*|[*(),]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const fail = (what: string): never => {
    throw new Error(`combination '${expr}': ${what}`);
  };
  const term = (): Node => {
    const t = peek();
    if (t === '(') {
      i++;
      const parts = [product()];
      while (peek() === ',') {
        i++;
        parts.push(product());
      }
      if (peek() !== ')') fail(`expected ')' at '${peek() ?? 'the end'}'`);
      i++;
      return parts.length === 1 ? (parts[0] as Node) : { kind: 'association', parts };
    }
    if (t && /^[A-Za-z_]/.test(t)) {
      i++;
      if (!names.includes(t)) fail(`'${t}' is not a task parameter of this step (${names.join(', ')})`);
      return { kind: 'param', name: t };
    }
    return fail(`unexpected '${t ?? 'end'}'`);
  };
  const product = (): Node => {
    const parts = [term()];
    while (peek() === '*') {
      i++;
      parts.push(term());
    }
    return parts.length === 1 ? (parts[0] as Node) : { kind: 'product', parts };
  };
  const node = product();
  if (i < tokens.length) fail(`unexpected '${peek()}'`);
  const used: string[] = [];
  const collect = (n: Node) => (n.kind === 'param' ? used.push(n.name) : n.parts.forEach(collect));
  collect(node);
  const twice = used.find((n, k) => used.indexOf(n) !== k);
  if (twice) fail(`'${twice}' appears twice`);
  const missing = names.filter((n) => !used.includes(n));
  if (missing.length) fail(`every task parameter must appear; missing ${missing.join(', ')}`);
  return node;
}

const MAX_TASKS = 1_000_000;

function evaluate(node: Node, values: ReadonlyMap<string, TaskValue[]>): Task[] {
  if (node.kind === 'param') return (values.get(node.name) ?? []).map((v) => ({ [node.name]: v }));
  const parts = node.parts.map((p) => evaluate(p, values));
  if (node.kind === 'association') {
    const n = parts[0]?.length ?? 0;
    if (parts.some((p) => p.length !== n))
      throw new Error(`an association (A, B) needs parameters of equal length; these have ${parts.map((p) => p.length).join(' and ')}`);
    return Array.from({ length: n }, (_, k) => Object.assign({}, ...parts.map((p) => p[k])));
  }
  let out: Task[] = [{}];
  for (const p of parts) {
    if (out.length * p.length > MAX_TASKS)
      throw new Error(`the parameter space holds more than ${MAX_TASKS.toLocaleString('en-US')} tasks`);
    out = out.flatMap((a) => p.map((b) => ({ ...a, ...b })));
  }
  return out;
}

/** Every task of a step, in order. */
export function expandParameterSpace(values: ReadonlyMap<string, TaskValue[]>, combination: string | undefined): Task[] {
  const names = [...values.keys()];
  const node: Node = combination
    ? parseCombination(combination, names)
    : { kind: 'product', parts: names.map((name) => ({ kind: 'param', name }) as Node) };
  return evaluate(node, values);
}
