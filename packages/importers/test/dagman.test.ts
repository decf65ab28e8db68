import { describe, expect, it } from 'vitest';
import { formatProblem, type ImportResult, importDagman } from '../src';
import { files, fixture } from './support';

function ok(result: ImportResult) {
  if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
  return result;
}

describe('an HTCondor DAGMan file', () => {
  const { text, options } = fixture('dagman/diamond.dag');
  const result = ok(importDagman(text, options));
  const jobs = new Map(result.submission.jobs.map((j) => [j.name, j]));
  const edges = result.submission.depends.map((d) => `${d.onJob} → ${d.job}`);

  it('becomes one job per node that is not DONE, splice and sub-DAG nodes named under their splice', () => {
    expect([...jobs.keys()].sort()).toEqual(
      ['beauty', 'cleanup', 'comp', 'noop', 'preflight', 'preview.encode', 'preview.upload', 'shadow', 'sim.cache', 'sim.fluid'].sort(),
    );
  });

  it('turns PARENT/CHILD into job-on-job depends, a splice as parent handing over through its last node and a sub-DAG as child starting with its first', () => {
    const expected = [
      'preflight → beauty',
      'preflight → shadow',
      'beauty → comp',
      'shadow → comp',
      'sim.cache → sim.fluid',
      'sim.fluid → beauty',
      'preview.encode → preview.upload',
      'comp → preview.encode',
      'comp → noop',
    ];
    for (const e of expected) expect(edges).toContain(e);
    // DONE node 'old' is left out, and comp does not wait for it.
    expect(edges.some((e) => e.includes('old'))).toBe(false);
  });

  it('runs FINAL after every other node, and says it would not run after a failure', () => {
    const onFinal = result.submission.depends.filter((d) => d.job === 'cleanup').map((d) => d.onJob);
    expect(onFinal.sort()).toEqual([...jobs.keys()].filter((n) => n !== 'cleanup').sort());
    expect(result.warnings.map((w) => w.construct)).toContain('diamond.dag: FINAL cleanup');
  });

  it('reads the submit file: executable and arguments, VARS macros, queue N as frames 0…N-1, resources, environment, DIR, output', () => {
    const main = jobs.get('beauty')?.layers.find((l) => l.name === 'main');
    expect(main).toMatchObject({
      command: 'cd renders && render.sh --pass beauty --frame #FRAME# > out.#FRAME#.txt',
      range: '0-3',
      cores: 4,
      memoryMb: 8192,
      gpus: 1,
      env: { OCIO: '/studio/aces.ocio', PASS: 'beauty' },
    });
    expect(jobs.get('shadow')?.layers[0]?.command).toContain('--pass shadow');
    expect(jobs.get('preflight')?.layers.find((l) => l.name === 'main')?.command).toBe("/bin/echo preflight 'two words'");
    expect(jobs.get('sim.fluid')?.layers[0]?.command).toBe('houdini sim');
  });

  const nodeSettings: { node: string; maxRetries: number; priority: number; why: string }[] = [
    { node: 'beauty', maxRetries: 1, priority: 100, why: 'RETRY ALL_NODES after RETRY beauty: the later line wins' },
    { node: 'comp', maxRetries: 2, priority: 110, why: 'RETRY comp 2 and PRIORITY comp 10 (100 + 10)' },
    {
      node: 'sim.cache',
      maxRetries: 0,
      priority: 100,
      why: 'a spliced node: RETRY ALL_NODES covers only its own file; DAGMan does not retry by default',
    },
  ];
  it.each(nodeSettings)('gives $node maxRetries $maxRetries and priority $priority ($why)', ({ node, maxRetries, priority }) => {
    expect(jobs.get(node)).toMatchObject({ maxRetries, priority });
  });

  it('runs SCRIPT PRE as a PRE layer before the job and SCRIPT POST as a POST layer after it', () => {
    expect(jobs.get('preflight')?.layers.map((l) => [l.name, l.type, l.dependsOn])).toEqual([
      ['pre', 'PRE', []],
      ['main', 'RENDER', ['pre']],
    ]);
    expect(jobs.get('preflight')?.layers[0]?.command).toBe('check_assets.sh preflight');
    expect(jobs.get('comp')?.layers.map((l) => [l.name, l.type, l.dependsOn])).toEqual([
      ['main', 'RENDER', []],
      ['post', 'POST', ['main']],
    ]);
  });

  it('turns CATEGORY with MAXJOBS into a limit created with the submission', () => {
    expect(result.submission.limits).toEqual([{ name: 'render', max: 2 }]);
    expect(jobs.get('beauty')?.layers[0]?.limits).toEqual(['render']);
    expect(jobs.get('comp')?.layers[0]?.limits).toEqual([]);
  });

  it('runs a NOOP node as a command that does nothing, so its children still wait for its parents', () => {
    expect(jobs.get('noop')?.layers[0]?.command).toBe('true');
  });

  const refusals: { name: string; dag: string; line: number; construct: RegExp; says: RegExp }[] = [
    { name: 'RETRY … UNLESS-EXIT', dag: 'JOB a a.sub\nRETRY a 3 UNLESS-EXIT 2', line: 2, construct: /UNLESS-EXIT/, says: /exit code 2/ },
    { name: 'SCRIPT DEFER', dag: 'JOB a a.sub\nSCRIPT DEFER 4 60 PRE a x.sh', line: 2, construct: /SCRIPT DEFER/, says: /defer/ },
    { name: 'PRE_SKIP', dag: 'JOB a a.sub\nPRE_SKIP a 1', line: 2, construct: /PRE_SKIP/, says: /skip/ },
    { name: 'ABORT-DAG-ON', dag: 'JOB a a.sub\n\nABORT-DAG-ON a 3 RETURN 1', line: 3, construct: /ABORT-DAG-ON/, says: /abort/ },
    { name: 'an unknown command', dag: 'JOB a a.sub\nDOT out.dot', line: 2, construct: /DOT/, says: /not a DAGMan command/ },
    { name: 'a PARENT naming no node', dag: 'JOB a a.sub\nPARENT a CHILD b', line: 2, construct: /PARENT/, says: /no node named 'b'/ },
    { name: 'a cycle', dag: 'JOB a a.sub\nJOB b a.sub\nPARENT a CHILD b\nPARENT b CHILD a', line: 0, construct: /depends/, says: /cycle/ },
    { name: 'a missing submit file', dag: 'JOB a missing.sub', line: 1, construct: /JOB a/, says: /could not be read/ },
    {
      name: 'a submit key Farmhand cannot honour',
      dag: 'JOB a bad.sub',
      line: 1,
      construct: /bad.sub:2 requirements/,
      says: /not supported/,
    },
    {
      name: 'a $RETURN macro in a POST script',
      dag: 'JOB a a.sub\nSCRIPT POST a check.sh $RETURN',
      line: 2,
      construct: /SCRIPT POST/,
      says: /no value/,
    },
    {
      name: 'a splice that includes itself',
      dag: 'SPLICE s self.dag',
      line: 1,
      construct: /SPLICE/,
      says: /includes itself|could not be read/,
    },
  ];
  it.each(refusals)('refuses $name, naming the line and the construct', ({ dag, line, construct, says }) => {
    const read = files({
      'a.sub': 'executable = /bin/true\nqueue\n',
      'bad.sub': 'executable = x\nrequirements = Memory > 1\nqueue\n',
      'self.dag': 'SPLICE s self.dag\n',
    });
    const r = importDagman(dag, { fileName: 'x.dag', show: 'sandbox', user: 'alice', readFile: read });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.errors.find((e) => construct.test(e.construct));
    expect(hit, r.errors.map(formatProblem).join('\n')).toBeDefined();
    expect(hit?.message).toMatch(says);
    if (line > 0) expect(hit?.line).toBe(line);
  });
});
