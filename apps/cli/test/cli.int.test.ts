/**
 * The `farmhand` command against a running stack (database, dispatcher, a real rqd, the REST
 * API over HTTP): what a pipeline TD types, what it prints, and the exit codes scripts rely on.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { farmhand as runFarmhand, type Stack, startStack } from './stack';

const bin = path.resolve(import.meta.dirname, '../bin/farmhand.js');
/** Frames run as their job's user; the test host runs them as whoever runs the tests. */
const USER = os.userInfo().username;

describe.each(testProviders())('the farmhand CLI on %s', (provider) => {
  let stack: Stack;
  let dir: string;
  const farmhand = (...args: string[]) => runFarmhand(['--url', stack.url, '--user', USER, ...args]);
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  beforeAll(async () => {
    stack = await startStack(provider);
    stack.farm.startRqd('cli-host');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-cli-'));
  });
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('submits a YAML spec, watches it to SUCCEEDED (exit 0), lists it and prints a frame log', async () => {
    const spec = write(
      'hello.yaml',
      'name: hello\nshow: sandbox\nshot: sh010\nlayers:\n  - name: render\n    command: "echo frame #FRAME#"\n    range: 1-3\n    memoryMb: 64\n',
    );
    const submitted = await farmhand('--json', 'submit', spec);
    expect(submitted.code, submitted.err).toBe(0);
    const jobId = (JSON.parse(submitted.out) as { jobIds: Record<string, string> }).jobIds.hello as string;

    expect((await farmhand('watch', jobId, '--interval', '100')).code).toBe(0);

    const listed = await farmhand('--json', 'jobs', '--show', 'sandbox', '--user', USER, '--state', 'SUCCEEDED');
    const rows = JSON.parse(listed.out) as { id: string; counts: { SUCCEEDED: number } }[];
    expect(rows.find((r) => r.id === jobId)?.counts.SUCCEEDED).toBe(3);
    expect((await farmhand('jobs', '--show', 'sandbox')).out).toMatch(/ID\s+NAME\s+SHOW[\s\S]*hello\s+sandbox\s+sh010\s+\S+\s+SUCCEEDED/);

    const frames = await stack.farm.db.prisma.frame.findMany({ where: { jobId }, orderBy: { number: 'asc' } });
    const log = await farmhand('log', String(frames[1]?.id), '--follow');
    expect(log.code).toBe(0);
    expect(log.out).toContain('frame 2');
  });

  it('watch exits 10 for a job with dead frames; retry and eat act on them', async () => {
    const spec = write(
      'fail.json',
      JSON.stringify({
        name: 'fails',
        show: 'sandbox',
        maxRetries: 0,
        layers: [{ name: 'r', command: 'exit 3', range: '1-2', memoryMb: 64 }],
      }),
    );
    const jobId = (JSON.parse((await farmhand('--json', 'submit', spec)).out) as { jobIds: Record<string, string> }).jobIds.fails as string;
    expect((await farmhand('watch', jobId, '--interval', '100')).code).toBe(10);
    const retried = await farmhand('--json', 'retry', jobId);
    expect(retried.code).toBe(0);
    expect((JSON.parse(retried.out) as { status: string }).status).toBe('APPLIED');
    expect((await farmhand('watch', jobId, '--interval', '100')).code).toBe(10);
    expect((await farmhand('eat', jobId)).code).toBe(0);
    expect((await farmhand('watch', jobId, '--interval', '100')).code).toBe(0);
  });

  it('submits an HTCondor DAG with its submit files, and the children run after their parents', async () => {
    write('step.sub', 'executable = /bin/echo\narguments = $(step)\nqueue\n');
    const dag = write(
      'shot.dag',
      'JOB a step.sub\nJOB b step.sub\nJOB c step.sub\nVARS a step="a"\nVARS b step="b"\nVARS c step="c"\nPARENT a CHILD b\nPARENT b CHILD c\n',
    );
    const submitted = await farmhand('--json', 'submit', dag, '--show', 'sandbox');
    expect(submitted.code, submitted.err).toBe(0);
    const ids = (JSON.parse(submitted.out) as { jobIds: Record<string, string> }).jobIds;
    for (const name of ['a', 'b', 'c']) expect((await farmhand('watch', ids[name] as string, '--interval', '100')).code).toBe(0);
    const jobs = await stack.farm.db.prisma.job.findMany({ where: { id: { in: Object.values(ids) } } });
    const at = (n: string) => jobs.find((j) => j.id === ids[n]);
    expect(at('b')?.startedAt?.getTime()).toBeGreaterThanOrEqual(at('a')?.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY);
    expect(at('c')?.startedAt?.getTime()).toBeGreaterThanOrEqual(at('b')?.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY);
  });

  const failures: { name: string; args: () => string[]; code: number; says: RegExp }[] = [
    {
      name: 'an invalid frame range',
      args: () => ['submit', write('bad.yaml', 'name: bad\nshow: sandbox\nlayers:\n  - name: r\n    command: x\n    range: 1-10x0\n')],
      code: 2,
      says: /bad.yaml:6: jobs\[0\]\.layers\[0\]\.range/,
    },
    {
      name: 'a show that does not exist',
      args: () => ['submit', write('noshow.yaml', 'name: x\nshow: nope\nlayers:\n  - name: r\n    command: x\n    range: 1\n')],
      code: 2,
      says: /no show named 'nope'/,
    },
    { name: 'a job that does not exist', args: () => ['pause', 'no-such-job'], code: 3, says: /no job/ },
    { name: 'an unreachable farm', args: () => ['--url', 'http://127.0.0.1:9', 'jobs'], code: 5, says: /cannot be reached/ },
  ];
  it.each(failures)('exits $code for $name, saying what is wrong', async ({ args, code, says }) => {
    const r = await farmhand(...args());
    expect(r.code).toBe(code);
    expect(r.err).toMatch(says);
  });

  it('runs as the npm bin, with the same exit codes', async () => {
    // Asynchronously: the API answers from this very process.
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [bin, '--url', stack.url, 'pause', 'no-such-job'], (_e, _out, stderr) =>
        resolve({ status: child.exitCode, stderr }),
      );
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/farmhand: .*no job/);
  });
});
