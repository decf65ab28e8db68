/**
 * `npm run bench:submit`: how long acceptance takes — validated, stored and ready to schedule —
 * for a 10,000-frame job and a 5,000-job DAG, on SQLite and PostgreSQL. Measured through the
 * path a script takes: the web's submit services (schema validation, show check, the command
 * row) and the dispatcher applying the command (its own checks, one transaction, memory, the
 * scheduler's index), started here on a fresh database. The 10k-frame job: median of three
 * runs. The DAG: the first one (a farm holding one job) is the acceptance figure; the third,
 * with 10,000 jobs already in memory, is reported too because it grows with the farm. The last
 * line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type JobSpecInput, jobSpecSchema, loadSettings, type SubmissionInput, submissionSchema } from '@farmhand/contracts';
import { openDatabase, type Provider } from '@farmhand/db';
import { createTestDatabase, testProviders } from '@farmhand/db/testing';
import { startDispatcher } from '@farmhand/dispatcher';
import pino from 'pino';
import { submitJob } from '../../web/src/server/services/commands';
import { submitSubmission } from '../../web/src/server/services/submissions';

const RUNS = 3;
const TARGETS = { job10kFramesMs: { sqlite: 1000, postgres: 2000 }, dag5kJobsMs: 10_000 };
const user = os.userInfo().username.replace(/[^A-Za-z0-9._-]/g, '_') || 'bench';

const job10k = (run: number) => ({
  name: `bench-10k-${run}`,
  show: 'sandbox',
  shot: 'sh010',
  user,
  paused: true,
  layers: [{ name: 'render', command: 'echo #FRAME#', range: '1-10000', chunk: 1, cores: 1, memoryMb: 256 }],
});

/** 1,250 shots of preflight → render (10 frames) → comp (10 frames) → publish: 5,000 jobs, 3,750 depends. */
function dag5k(run: number): SubmissionInput {
  const jobs: JobSpecInput[] = [];
  const depends: { job: string; onJob: string }[] = [];
  const stages = [
    ['preflight', '1'],
    ['render', '1-10'],
    ['comp', '1-10'],
    ['publish', '1'],
  ] as const;
  for (let shot = 0; shot < 1250; shot++) {
    const name = (stage: string) => `r${run}-sh${shot}-${stage}`;
    stages.forEach(([stage, range], i) => {
      jobs.push({
        name: name(stage),
        show: 'sandbox',
        shot: `sh${shot}`,
        user,
        paused: true,
        layers: [{ name: stage, command: `echo ${stage} #FRAME#`, range, memoryMb: 256 }],
      });
      const prev = stages[i - 1];
      if (prev) depends.push({ job: name(stage), onJob: name(prev[0]) });
    });
  }
  return { jobs, depends };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function measure(provider: Provider) {
  const database = await createTestDatabase(provider);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-bench-submit-'));
  const settings = loadSettings({
    DATABASE_URL: database.url,
    FARMHAND_DATA_DIR: dataDir,
    FARMHAND_HOST_TOKEN: 'bench-submit-token-0123456789',
  });
  const dispatcher = await startDispatcher({ settings, port: 0, logger: pino({ level: 'silent' }), commandPollMs: 60_000 });
  const db = openDatabase(database.url);
  const ctx = { db, dispatcherUrl: dispatcher.url };
  const job: number[] = [];
  const dag: number[] = [];
  const validateDag: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      let t = performance.now();
      const answer = await submitJob(ctx, job10k(run));
      job.push(performance.now() - t);
      if (!answer.jobId) throw new Error(`the 10k-frame job was not accepted: ${answer.message}`);
      const input = dag5k(run);
      t = performance.now();
      submissionSchema.parse(input);
      validateDag.push(performance.now() - t);
      t = performance.now();
      const sub = await submitSubmission({ ...ctx, user }, input);
      dag.push(performance.now() - t);
      if (sub.status !== 'APPLIED') throw new Error(`the DAG was not accepted: ${sub.message}`);
    }
    const frames = await db.prisma.frame.count();
    const jobs = await db.prisma.job.count();
    console.log(
      `${provider}: 10k-frame job ${job.map((x) => x.toFixed(0)).join(' / ')} ms; 5k-job DAG ${dag.map((x) => x.toFixed(0)).join(' / ')} ms ` +
        `(of which schema validation ${median(validateDag).toFixed(0)} ms); stored ${jobs} jobs, ${frames} frames`,
    );
    return {
      job10kFramesMs: Math.round(median(job)),
      dag5kJobsMs: Math.round(dag[0] ?? 0),
      dagOnBusyFarmMs: Math.round(dag[RUNS - 1] ?? 0),
    };
  } finally {
    await dispatcher.stop();
    await db.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const t0 = performance.now();
jobSpecSchema.parse(job10k(0));
console.log(`schema validation of the 10k-frame spec: ${(performance.now() - t0).toFixed(1)} ms (includes expanding the range)`);
const result: Record<string, number | boolean> = {};
let met = true;
for (const provider of testProviders()) {
  const r = await measure(provider);
  const suffix = provider === 'sqlite' ? 'Sqlite' : 'Postgres';
  result[`job10kFramesMs${suffix}`] = r.job10kFramesMs;
  result[`dag5kJobsMs${suffix}`] = r.dag5kJobsMs;
  result[`dag5kJobsWith10kJobsInMemoryMs${suffix}`] = r.dagOnBusyFarmMs;
  met &&= r.job10kFramesMs <= TARGETS.job10kFramesMs[provider] && r.dag5kJobsMs <= TARGETS.dag5kJobsMs;
}
result.job10kFramesMs = result.job10kFramesMsSqlite as number;
result.dag5kJobsMs = result.dag5kJobsMsSqlite as number;
result.targetsMet = met;
console.log(JSON.stringify(result));
process.exit(0);
