/**
 * Reading HTCondor DAGMan input files into a graph of nodes and edges, following the DAGMan
 * manual: JOB, FINAL, PARENT … CHILD, RETRY, VARS, PRIORITY, SCRIPT PRE/POST, PRE_SKIP,
 * CATEGORY, MAXJOBS, DONE, SPLICE and SUBDAG EXTERNAL (both inlined under their name, so a
 * node `render` of splice `shotA` is `shotA.render`), ABORT-DAG-ON. Keywords are
 * case-insensitive; ALL_NODES stands for every node of the file. What Farmhand cannot honour is
 * an error at its line; turning the graph into jobs is toSubmission.ts's concern.
 */
import type { Problems } from '../result';

export interface DagScript {
  words: string[];
  line: number;
  file: string;
}

export interface DagNode {
  /** Qualified: `splice.node` inside a splice. */
  name: string;
  submitFile: string;
  dir: string | null;
  noop: boolean;
  done: boolean;
  final: boolean;
  file: string;
  line: number;
  vars: Record<string, string>;
  retry: number | null;
  priority: number | null;
  pre: DagScript | null;
  post: DagScript | null;
  /** A limit name: the category, qualified by its splice unless it starts with `+`. */
  category: string | null;
}

export interface DagEdge {
  parent: string;
  child: string;
  file: string;
  line: number;
}

export interface DagGraph {
  nodes: Map<string, DagNode>;
  edges: DagEdge[];
  maxJobs: Map<string, { max: number; file: string; line: number }>;
}

interface Scope {
  prefix: string;
  file: string;
  /** Local name → qualified node name. */
  nodes: Map<string, string>;
  /** Local name → nested scope (SPLICE or SUBDAG EXTERNAL). */
  nested: Map<string, { scope: Scope; kind: 'SPLICE' | 'SUBDAG' }>;
  /** Every qualified node under this scope, nested ones included. */
  all: Set<string>;
  allowFinal: boolean;
}

export type ReadDag = (relativePath: string) => string | null;

/** Words of a line; double-quoted strings stay one word (quotes kept). */
function words(line: string): string[] {
  return line.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}

const isInt = (w: string | undefined) => w !== undefined && /^-?\d+$/.test(w);

export function readDag(text: string, file: string, read: ReadDag | undefined, problems: Problems): DagGraph {
  const graph: DagGraph = { nodes: new Map(), edges: [], maxJobs: new Map() };
  readScope(text, file, '', read, problems, graph, [file], true);
  return graph;
}

function readScope(
  text: string,
  file: string,
  prefix: string,
  read: ReadDag | undefined,
  problems: Problems,
  graph: DagGraph,
  stack: string[],
  allowFinal: boolean,
): Scope {
  const scope: Scope = { prefix, file, nodes: new Map(), nested: new Map(), all: new Set(), allowFinal };
  const pending: { parents: string[]; children: string[]; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  const err = (line: number, construct: string, message: string) => problems.error(line, `${file}: ${construct}`, message);
  const local = (line: number, construct: string, name: string): DagNode[] => {
    if (name.toUpperCase() === 'ALL_NODES') return [...scope.nodes.values()].map((q) => graph.nodes.get(q) as DagNode);
    const q = scope.nodes.get(name);
    if (q) return [graph.nodes.get(q) as DagNode];
    const nested = scope.nested.get(name);
    if (nested)
      err(
        line,
        construct,
        `'${name}' is a ${nested.kind === 'SPLICE' ? 'SPLICE' : 'SUBDAG EXTERNAL'}; ${construct} applies to single nodes in Farmhand`,
      );
    else err(line, construct, `no node named '${name}' (define it with JOB before this line)`);
    return [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = (lines[i] as string).trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const w = words(raw);
    const keyword = (w[0] as string).toUpperCase();
    switch (keyword) {
      case 'JOB':
      case 'FINAL': {
        const [, name, submitFile, ...rest] = w;
        if (!name || !submitFile) {
          err(line, keyword, `expected '${keyword} name submitfile [DIR dir] [NOOP]${keyword === 'JOB' ? ' [DONE]' : ''}'`);
          break;
        }
        if (submitFile === '{') {
          err(line, keyword, 'inline submit descriptions are not supported: put the description in its own .sub file');
          break;
        }
        if (scope.nodes.has(name) || scope.nested.has(name)) {
          err(line, keyword, `node '${name}' is defined twice`);
          break;
        }
        const node: DagNode = {
          name: prefix + name,
          submitFile,
          dir: null,
          noop: false,
          done: false,
          final: keyword === 'FINAL',
          file,
          line,
          vars: {},
          retry: null,
          priority: null,
          pre: null,
          post: null,
          category: null,
        };
        for (let k = 0; k < rest.length; k++) {
          const opt = (rest[k] as string).toUpperCase();
          if (opt === 'DIR' && rest[k + 1]) node.dir = rest[++k] as string;
          else if (opt === 'NOOP') node.noop = true;
          else if (opt === 'DONE' && keyword === 'JOB') node.done = true;
          else err(line, keyword, `unexpected '${rest[k]}': expected DIR dir, NOOP${keyword === 'JOB' ? ' or DONE' : ''}`);
        }
        if (node.final) {
          if (!allowFinal) err(line, 'FINAL', 'a FINAL node inside a SPLICE is not allowed (DAGMan refuses it too)');
          else if ([...graph.nodes.values()].some((n) => n.final && n.file === file))
            err(line, 'FINAL', 'a DAG may have only one FINAL node');
        }
        scope.nodes.set(name, node.name);
        scope.all.add(node.name);
        graph.nodes.set(node.name, node);
        break;
      }
      case 'PARENT': {
        const childAt = w.findIndex((x) => x.toUpperCase() === 'CHILD');
        const parents = w.slice(1, childAt < 0 ? undefined : childAt);
        const children = childAt < 0 ? [] : w.slice(childAt + 1);
        if (parents.length === 0 || children.length === 0) err(line, 'PARENT … CHILD', "expected 'PARENT p1 [p2 …] CHILD c1 [c2 …]'");
        else pending.push({ parents, children, line });
        break;
      }
      case 'RETRY': {
        const [, name, n, unless, code] = w;
        if (!name || !isInt(n) || Number(n) < 0) {
          err(line, 'RETRY', "expected 'RETRY node N [UNLESS-EXIT value]' with N a whole number");
          break;
        }
        if (unless !== undefined) {
          if (unless.toUpperCase() === 'UNLESS-EXIT' && isInt(code))
            err(line, 'RETRY … UNLESS-EXIT', `Farmhand retries every failed frame; it cannot stop retrying on exit code ${code}`);
          else err(line, 'RETRY', `unexpected '${unless}': expected UNLESS-EXIT value`);
          break;
        }
        for (const node of local(line, 'RETRY', name)) node.retry = Number(n);
        break;
      }
      case 'VARS': {
        const name = w[1];
        if (!name) {
          err(line, 'VARS', 'expected \'VARS node name="value" …\'');
          break;
        }
        let rest = raw.replace(/^\S+\s+\S+\s*/, '');
        if (/^(PREPEND|APPEND)\b/i.test(rest)) rest = rest.replace(/^\S+\s*/, '');
        const pairs = [...rest.matchAll(/([A-Za-z_+][\w.+]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)];
        const leftover = rest.replace(/([A-Za-z_+][\w.+]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g, '').trim();
        if (pairs.length === 0 || leftover !== '') {
          err(line, 'VARS', `expected name="value" pairs${leftover ? `, not '${leftover}'` : ''}`);
          break;
        }
        for (const node of local(line, 'VARS', name))
          for (const [, key, value] of pairs) node.vars[(key as string).replace(/^\+/, '')] = (value as string).replace(/\\(.)/g, '$1');
        break;
      }
      case 'PRIORITY': {
        const [, name, n] = w;
        if (!name || !isInt(n)) {
          err(line, 'PRIORITY', "expected 'PRIORITY node N'");
          break;
        }
        for (const node of local(line, 'PRIORITY', name)) node.priority = Number(n);
        break;
      }
      case 'SCRIPT': {
        const k = 1;
        const upper = (x: string | undefined) => (x ?? '').toUpperCase();
        if (upper(w[k]) === 'DEFER') {
          err(
            line,
            'SCRIPT DEFER',
            'Farmhand runs PRE and POST scripts as layers on the farm; it cannot defer and re-run a script on an exit status',
          );
          break;
        }
        if (upper(w[k]) === 'DEBUG') {
          err(line, 'SCRIPT DEBUG', "a script's output is already in its frame log; DEBUG files are not supported");
          break;
        }
        const when = upper(w[k]);
        const name = w[k + 1];
        const exe = w.slice(k + 2);
        if (when === 'HOLD') {
          err(line, 'SCRIPT HOLD', 'Farmhand does not hold jobs; HOLD scripts are not supported');
          break;
        }
        if ((when !== 'PRE' && when !== 'POST') || !name || exe.length === 0) {
          err(line, 'SCRIPT', "expected 'SCRIPT PRE|POST node executable [arguments]'");
          break;
        }
        const unsupported = exe.find((x) =>
          /\$(RETURN|PRE_SCRIPT_RETURN|DAG_STATUS|FAILED_COUNT|JOBID|CLUSTERID|RETRY|JOB_COUNT|SUCCESS)\b/.test(x),
        );
        if (unsupported) {
          err(
            line,
            `SCRIPT ${when}`,
            `the macro in '${unsupported}' has no value in Farmhand, where the script runs as a layer of the node's job`,
          );
          break;
        }
        for (const node of local(line, `SCRIPT ${when}`, name)) {
          const script = { words: exe.map((x) => x.replace(/\$JOB\b/g, node.name)), line, file };
          if (when === 'PRE') node.pre = script;
          else node.post = script;
        }
        break;
      }
      case 'PRE_SKIP':
        err(
          line,
          'PRE_SKIP',
          "Farmhand runs a node's job after its PRE script succeeds; it cannot skip the job on a PRE script's exit code",
        );
        break;
      case 'ABORT-DAG-ON':
        err(line, 'ABORT-DAG-ON', 'Farmhand does not abort a submission on one exit status; kill the jobs instead (farmhand kill)');
        break;
      case 'CATEGORY': {
        const [, name, category] = w;
        if (!name || !category) {
          err(line, 'CATEGORY', "expected 'CATEGORY node category'");
          break;
        }
        const limit = category.startsWith('+') ? category.slice(1) : prefix + category;
        for (const node of local(line, 'CATEGORY', name)) node.category = limit;
        break;
      }
      case 'MAXJOBS': {
        const [, category, n] = w;
        if (!category || !isInt(n) || Number(n) < 0) {
          err(line, 'MAXJOBS', "expected 'MAXJOBS category N'");
          break;
        }
        const limit = category.startsWith('+') ? category.slice(1) : prefix + category;
        graph.maxJobs.set(limit, { max: Number(n), file, line });
        break;
      }
      case 'DONE': {
        const name = w[1];
        if (!name) err(line, 'DONE', "expected 'DONE node'");
        else if (scope.nested.has(name))
          for (const q of scope.nested.get(name)?.scope.all ?? []) (graph.nodes.get(q) as DagNode).done = true;
        else for (const node of local(line, 'DONE', name)) node.done = true;
        break;
      }
      case 'SPLICE':
      case 'SUBDAG': {
        const external = keyword === 'SUBDAG';
        if (external && (w[1] ?? '').toUpperCase() !== 'EXTERNAL') {
          err(line, 'SUBDAG', "expected 'SUBDAG EXTERNAL name file'");
          break;
        }
        const construct = external ? 'SUBDAG EXTERNAL' : 'SPLICE';
        const [name, dagFile, ...rest] = w.slice(external ? 2 : 1);
        if (!name || !dagFile) {
          err(line, construct, `expected '${construct} name file [DIR dir]'`);
          break;
        }
        let dir: string | null = null;
        let done = false;
        for (let k = 0; k < rest.length; k++) {
          const opt = (rest[k] as string).toUpperCase();
          if (opt === 'DIR' && rest[k + 1]) dir = rest[++k] as string;
          else if (opt === 'DONE' && external) done = true;
          else err(line, construct, `unexpected '${rest[k]}'`);
        }
        if (scope.nodes.has(name) || scope.nested.has(name)) {
          err(line, construct, `node '${name}' is defined twice`);
          break;
        }
        const path = dir ? `${dir}/${dagFile}` : dagFile;
        if (stack.includes(path)) {
          err(line, construct, `'${path}' includes itself`);
          break;
        }
        const nestedText = read?.(path) ?? null;
        if (nestedText === null) {
          err(line, construct, `the DAG file '${path}' could not be read`);
          break;
        }
        const nested = readScope(nestedText, path, `${prefix}${name}.`, read, problems, graph, [...stack, path], external);
        if (dir) for (const q of nested.all) (graph.nodes.get(q) as DagNode).dir ??= dir;
        if (done) for (const q of nested.all) (graph.nodes.get(q) as DagNode).done = true;
        scope.nested.set(name, { scope: nested, kind: external ? 'SUBDAG' : 'SPLICE' });
        for (const q of nested.all) scope.all.add(q);
        break;
      }
      default:
        err(line, keyword, `'${w[0]}' is not a DAGMan command Farmhand's importer supports`);
    }
  }

  // PARENT/CHILD may name nodes defined further down, so edges are resolved once the file is read.
  const ends = (name: string, line: number, side: 'parent' | 'child'): string[] => {
    const q = scope.nodes.get(name);
    if (q) {
      if (graph.nodes.get(q)?.final)
        err(line, 'PARENT … CHILD', `'${name}' is the FINAL node; it runs after all others and takes no PARENT/CHILD`);
      return [q];
    }
    const nested = scope.nested.get(name);
    if (!nested) {
      err(line, 'PARENT … CHILD', `no node named '${name}'`);
      return [];
    }
    const inner = nested.scope.all;
    const linked = new Set<string>();
    for (const e of graph.edges) if (inner.has(e.parent) && inner.has(e.child)) linked.add(side === 'parent' ? e.parent : e.child);
    // A splice as a parent hands over through its last nodes; as a child, it starts with its first.
    return [...inner].filter((n) => !linked.has(n) && !graph.nodes.get(n)?.final);
  };
  for (const p of pending) {
    const parents = p.parents.flatMap((n) => ends(n, p.line, 'parent'));
    const children = p.children.flatMap((n) => ends(n, p.line, 'child'));
    for (const parent of parents) for (const child of children) graph.edges.push({ parent, child, file, line: p.line });
  }
  return scope;
}
