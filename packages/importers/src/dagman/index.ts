/**
 * HTCondor DAGMan → a Farmhand submission. Each node becomes a job (named after the node) with
 * a `main` layer running its submit file's executable (`queue N` → frames 0…N-1), a PRE layer
 * before it and a POST layer after it. PARENT/CHILD become job-on-job depends; RETRY N is the
 * job's maxRetries (DAGMan's default is no retry, so 0 without it); PRIORITY p is 100 + p;
 * CATEGORY with MAXJOBS becomes a limit created with the submission; DONE nodes are left out
 * (their children do not wait for them); FINAL runs after every other node.
 */
import type { JobSpecInput, SubmissionInput } from '@farmhand/contracts';
import { finish, type ImportOptions, type ImportResult, Problems, shellQuote } from '../result';
import { type DagNode, readDag } from './dagFile';
import { parseSubmitDescription } from './submitFile';

const clampPriority = (p: number) => Math.max(0, Math.min(10_000, 100 + p));

function nodeJob(node: DagNode, limited: ReadonlySet<string>, options: ImportOptions, problems: Problems): JobSpecInput | null {
  const path = node.dir ? `${node.dir}/${node.submitFile}` : node.submitFile;
  const construct = `${node.final ? 'FINAL' : 'JOB'} ${node.name.split('.').pop()}`;
  const cd = node.dir ? `cd ${shellQuote(node.dir)} && ` : '';
  let main: { command: string; range: string; cores: number; memoryMb: number; gpus: number; env: Record<string, string> };
  if (node.noop) {
    main = { command: 'true', range: '0', cores: 1, memoryMb: 64, gpus: 0, env: {} };
  } else {
    const text = options.readFile?.(path) ?? null;
    if (text === null) {
      problems.error(node.line, `${node.file}: ${construct}`, `the submit file '${path}' could not be read`);
      return null;
    }
    const { description, problems: found } = parseSubmitDescription(text, node.vars);
    for (const p of found) {
      const where = `${path}${p.line > 0 ? `:${p.line}` : ''}`;
      if (p.warning) problems.warn(node.line, `${node.file}: ${construct} → ${where} ${p.key}`, p.message);
      else problems.error(node.line, `${node.file}: ${construct} → ${where} ${p.key}`, p.message);
    }
    main = {
      command: cd + description.command,
      range: description.count > 1 ? `0-${description.count - 1}` : '0',
      cores: description.cores,
      memoryMb: description.memoryMb,
      gpus: description.gpus,
      env: description.env,
    };
  }
  const layers: NonNullable<JobSpecInput['layers']> = [];
  if (node.pre)
    layers.push({ name: 'pre', type: 'PRE', command: cd + node.pre.words.map(shellQuote).join(' '), range: '0', memoryMb: 256 });
  layers.push({
    name: 'main',
    type: 'RENDER',
    ...main,
    // A category without MAXJOBS throttles nothing in DAGMan either.
    limits: node.category && limited.has(node.category) ? [node.category] : [],
    dependsOn: node.pre ? ['pre'] : [],
  });
  if (node.post) {
    problems.warn(
      node.post.line,
      `${node.post.file}: SCRIPT POST ${node.name}`,
      "runs once the node's job has succeeded; DAGMan would also run it after a failure and let its exit status decide",
    );
    layers.push({
      name: 'post',
      type: 'POST',
      command: cd + node.post.words.map(shellQuote).join(' '),
      range: '0',
      memoryMb: 256,
      dependsOn: ['main'],
    });
  }
  return {
    name: node.name,
    show: options.show ?? '',
    user: options.user ?? '',
    maxRetries: node.retry ?? 0,
    ...(node.priority !== null ? { priority: clampPriority(node.priority) } : {}),
    layers,
  };
}

export function importDagman(text: string, options: ImportOptions = {}): ImportResult {
  const file = options.fileName ?? 'input.dag';
  const problems = new Problems(file);
  const graph = readDag(text, file, options.readFile, problems);
  if (!options.show) problems.error(0, 'show', 'a DAG does not name a show: give one (farmhand submit --show NAME)');
  if (!options.user) problems.error(0, 'user', 'a DAG does not name a user: give one (farmhand submit --user NAME)');
  const kept = [...graph.nodes.values()].filter((n) => !n.done);
  if (graph.nodes.size > 0 && kept.length === 0) problems.error(0, 'DONE', 'every node is DONE: there is nothing left to run');
  if (graph.nodes.size === 0) problems.error(0, 'JOB', 'the DAG defines no nodes');
  const jobs: JobSpecInput[] = [];
  const lines: number[] = [];
  for (const node of kept) {
    const job = nodeJob(node, new Set(graph.maxJobs.keys()), options, problems);
    if (job) {
      jobs.push(job);
      lines.push(node.line);
    }
  }
  const keptNames = new Set(kept.map((n) => n.name));
  const depends: NonNullable<SubmissionInput['depends']> = [];
  const dependLines: number[] = [];
  const seen = new Set<string>();
  for (const e of graph.edges) {
    const key = `${e.child}\u0000${e.parent}`;
    if (!keptNames.has(e.parent) || !keptNames.has(e.child) || seen.has(key)) continue;
    seen.add(key);
    depends.push({ job: e.child, onJob: e.parent });
    dependLines.push(e.line);
  }
  for (const final of kept.filter((n) => n.final)) {
    problems.warn(
      final.line,
      `${final.file}: FINAL ${final.name}`,
      'runs once every other node has finished; DAGMan would also run it after a failure',
    );
    for (const other of kept) if (!other.final) depends.push({ job: final.name, onJob: other.name });
  }
  const limits: NonNullable<SubmissionInput['limits']> = [];
  for (const [name, { max, line, file: f }] of graph.maxJobs) {
    if (!kept.some((n) => n.category === name)) problems.warn(line, `${f}: MAXJOBS ${name}`, 'no node is in this category');
    limits.push({ name, max });
  }
  return finish(problems, { jobs, depends, limits }, (path) => {
    const [kind, i] = path;
    if (kind === 'jobs' && typeof i === 'number') return lines[i] ?? 0;
    if (kind === 'depends' && typeof i === 'number') return dependLines[i] ?? 0;
    return 0;
  });
}
