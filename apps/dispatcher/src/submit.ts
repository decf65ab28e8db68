/**
 * Accepts a job spec, or a submission of many jobs with depends between them, all or nothing:
 * checks what only the farm knows (shows and limits exist), expands frame ranges into frame
 * rows (one per chunk, numbered by the dispatcher), decides which frames wait on depends, books
 * what idle cores can take (booking.ts bookWithSubmission), stores everything in one transaction
 * — frames as one set-based statement per few thousand rows — and only then adds the jobs to
 * memory and to the scheduler's index, and launches the frames booked with them.
 */
import { randomUUID } from 'node:crypto';
import {
  AppError,
  chunkFrames,
  type FieldError,
  formatFrameList,
  type JobSpec,
  parseFrameRange,
  type Submission,
  type SubmissionDepend,
  submissionDependType,
} from '@farmhand/contracts';
import { bookWithSubmission } from './booking';
import type { Dispatcher } from './dispatcher';
import type { DependRow } from './farm/depends';
import { type MemFrame, type MemJob, type MemLayer, type MemLimit, zeroCounts } from './farm/model';
import type { Statement } from './persist/sql';
import { LIMIT, NEW_DEPEND, NEW_FRAME, NEW_JOB, NEW_LAYER, NEW_LAYER_LIMIT } from './persist/tables';
import { previewCommand, previewOf, withPreviewLayers } from './previewLayers';

interface Prepared {
  /** The spec with its preview layers added (what was prepared). */
  spec: JobSpec;
  /** The spec as submitted (stored for clone-and-resubmit, which adds the previews again). */
  submitted: JobSpec;
  job: MemJob;
  /** FRAME_BY_FRAME depends of preview layers on their render layers (layer ids). */
  previews: { previewLayerId: string; renderLayerId: string }[];
}

export async function submitJob(d: Dispatcher, spec: JobSpec): Promise<{ jobId: string; frames: number }> {
  const [prepared] = await submitJobs(d, [spec], [], [], '');
  if (!prepared) throw new AppError('INTERNAL', 'the job was not stored');
  return { jobId: prepared.job.id, frames: prepared.job.frames.size };
}

export async function submitSubmission(d: Dispatcher, sub: Submission): Promise<{ jobIds: Record<string, string>; frames: number }> {
  const prepared = await submitJobs(d, sub.jobs, sub.depends, sub.limits, 'jobs');
  const jobIds = Object.fromEntries(prepared.map((p) => [p.job.name, p.job.id]));
  return { jobIds, frames: prepared.reduce((n, p) => n + p.job.frames.size, 0) };
}

async function submitJobs(
  d: Dispatcher,
  specs: readonly JobSpec[],
  depends: readonly SubmissionDepend[],
  limits: readonly { name: string; max: number }[],
  pathPrefix: string,
): Promise<Prepared[]> {
  const { farm } = d;
  const limitsByName = new Map([...farm.limits.values()].map((l) => [l.name, l]));
  const newLimits: MemLimit[] = limits
    .filter((l) => !limitsByName.has(l.name))
    .map((l) => ({ id: randomUUID(), name: l.name, max: l.max }));
  for (const l of newLimits) limitsByName.set(l.name, l);
  checkFarm(d, specs, limitsByName, pathPrefix);

  const prepared = specs.map((spec) => prepareJob(d, spec, limitsByName));

  const rows = dependRows(prepared, depends);
  for (const p of prepared) farm.depends.addJob(p.job);
  const preparedById = new Map(prepared.map((p) => [p.job.id, p.job]));
  for (const row of rows) {
    for (const id of farm.depends.add(row) ?? []) {
      const job = preparedById.get(row.dependerJobId);
      const frame = job?.frames.get(id);
      if (!job || frame?.state !== 'WAITING') continue;
      // Not in the farm yet, so counted here rather than by setFrameState.
      frame.state = 'DEPEND';
      job.counts.WAITING--;
      job.counts.DEPEND++;
    }
  }
  // New limits are not in the scheduler's index yet: such a submission is booked once stored.
  const booked =
    newLimits.length === 0
      ? bookWithSubmission(
          d,
          prepared.map((p) => p.job),
        )
      : undefined;
  try {
    await d.store.run([...submissionStatements(d, prepared, rows, newLimits), ...(booked?.statements ?? [])]);
  } catch (e) {
    booked?.refused();
    for (const p of prepared) farm.depends.jobGone(p.job.id);
    throw e;
  }

  for (const l of newLimits) farm.limits.set(l.id, l);
  const committedAt = Date.now();
  for (const { job } of prepared) {
    for (const layer of job.layers) farm.layers.set(layer.id, layer);
    for (const frame of job.frames.values()) {
      frame.readyAt = committedAt; // a frame is ready once it exists in the database
      farm.frames.set(frame.id, frame);
    }
    farm.jobs.set(job.id, job);
    d.publishJob(job);
  }
  // One batch for the whole submission: each show is ranked once, not once per job.
  if (newLimits.length === 0) d.scheduling.jobsAdded(prepared.map((p) => p.job));
  else d.scheduling.invalidate(); // the scheduler's index has no such limits yet
  booked?.stored(committedAt);
  return prepared;
}

/** Shows and limits named by the specs must exist (or come with the submission); one error lists every problem. */
function checkFarm(d: Dispatcher, specs: readonly JobSpec[], limits: Map<string, MemLimit>, prefix: string): void {
  const problems: FieldError[] = [];
  specs.forEach((spec, j) => {
    const at = (path: string) => (prefix ? `${prefix}[${j}].${path}` : path);
    if (!d.farm.showsByName.has(spec.show)) problems.push({ path: at('show'), message: `show '${spec.show}' does not exist` });
    spec.layers.forEach((layer, i) => {
      layer.limits.forEach((name, k) => {
        if (!limits.has(name)) problems.push({ path: at(`layers[${i}].limits[${k}]`), message: `limit '${name}' does not exist` });
      });
    });
  });
  if (problems.length === 0) return;
  const missingShow = problems.some((p) => p.path.endsWith('show'));
  throw new AppError(missingShow ? 'NOT_FOUND' : 'VALIDATION', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
}

function prepareJob(d: Dispatcher, submitted: JobSpec, limits: Map<string, MemLimit>): Prepared {
  const { farm } = d;
  const spec = withPreviewLayers(submitted);
  const show = farm.showsByName.get(spec.show);
  if (!show) throw new AppError('NOT_FOUND', `show '${spec.show}' does not exist`);
  const jobId = randomUUID();
  const now = Date.now();
  const job: MemJob = {
    id: jobId,
    name: spec.name,
    showId: show.id,
    shot: spec.shot,
    user: spec.user,
    priority: spec.priority,
    paused: spec.paused,
    maxRetries: spec.maxRetries,
    state: 'PENDING',
    submittedAt: now,
    startedAt: null,
    stoppedAt: null,
    coreSeconds: 0,
    coresInUse: 0,
    counts: zeroCounts(),
    layers: [],
    frames: new Map(),
  };
  const previews: Prepared['previews'] = [];
  for (const l of spec.layers) {
    const chunks = chunkFrames(parseFrameRange(l.range), l.chunk);
    const id = randomUUID();
    const render = previewOf(l) === undefined ? undefined : job.layers.find((r) => r.name === previewOf(l));
    if (render) previews.push({ previewLayerId: id, renderLayerId: render.id });
    const renderSpec = render ? spec.layers.find((r) => r.name === render.name) : undefined;
    const layer: MemLayer = {
      id,
      jobId,
      name: l.name,
      type: l.type,
      command: render && renderSpec?.outputPath ? previewCommand(jobId, render.id, renderSpec.outputPath, l.range) : l.command,
      minCores: l.cores,
      maxCores: l.maxCores ?? l.cores,
      threadable: l.threadable,
      memoryMb: l.memoryMb,
      gpus: l.gpus,
      gpuMemoryMb: l.gpuMemoryMb,
      tags: l.tags,
      limitIds: l.limits.map((name) => limits.get(name)?.id ?? ''),
      timeoutMinutes: l.timeoutMinutes ?? null,
      env: l.env,
      frameCount: chunks.length,
      doneCount: 0,
    };
    job.layers.push(layer);
    chunks.forEach((c, order) => {
      const frame: MemFrame = {
        id: farm.nextFrameId++,
        jobId,
        layerId: layer.id,
        number: c.number,
        frames: c.frames,
        order,
        state: 'WAITING',
        retries: 0,
        attempt: 0,
        exitStatus: null,
        exitSignal: null,
        hostId: null,
        startedAt: null,
        stoppedAt: null,
        maxRssMb: 0,
        cpuSeconds: 0,
        readyAt: now,
        killIntent: null,
      };
      job.frames.set(frame.id, frame);
      job.counts.WAITING++;
    });
  }
  return { spec, submitted, job, previews };
}

/** The depend rows of the jobs: layers on layers of the same job, and the submission's own. */
function dependRows(prepared: readonly Prepared[], depends: readonly SubmissionDepend[]): DependRow[] {
  const byName = new Map(prepared.map((p) => [p.job.name, p.job]));
  const layerId = (job: MemJob, name: string | undefined) => (name ? (job.layers.find((l) => l.name === name)?.id ?? null) : null);
  const rows: DependRow[] = [];
  for (const { spec, job } of prepared)
    for (const l of spec.layers)
      for (const on of l.dependsOn)
        rows.push({
          id: randomUUID(),
          type: 'LAYER_ON_LAYER',
          dependerJobId: job.id,
          dependerLayerId: layerId(job, l.name),
          dependerFrameId: null,
          onJobId: job.id,
          onLayerId: layerId(job, on),
          onFrameId: null,
        });
  for (const { job, previews } of prepared)
    for (const p of previews)
      rows.push({
        id: randomUUID(),
        type: 'FRAME_BY_FRAME',
        dependerJobId: job.id,
        dependerLayerId: p.previewLayerId,
        dependerFrameId: null,
        onJobId: job.id,
        onLayerId: p.renderLayerId,
        onFrameId: null,
      });
  for (const dep of depends) {
    const job = byName.get(dep.job);
    const on = byName.get(dep.onJob);
    if (!job || !on) continue; // the schema already refused depends on jobs not in the submission
    rows.push({
      id: randomUUID(),
      type: submissionDependType(dep),
      dependerJobId: job.id,
      dependerLayerId: layerId(job, dep.layer),
      dependerFrameId: null,
      onJobId: on.id,
      onLayerId: layerId(on, dep.onLayer),
      onFrameId: null,
    });
  }
  return rows;
}

/** Everything a submission stores, as set-based statements: limits, jobs, layers, frames, depends. */
function submissionStatements(
  d: Dispatcher,
  prepared: readonly Prepared[],
  depends: readonly DependRow[],
  limits: readonly MemLimit[],
): Statement[] {
  const dialect = d.store.dialect;
  const now = Date.now();
  const jobs = prepared.map(({ submitted, job }) => [
    job.id,
    job.name,
    job.showId,
    job.shot,
    job.user,
    job.priority,
    job.paused,
    job.maxRetries,
    job.state,
    submitted.comment ?? null,
    JSON.stringify(submitted),
    job.submittedAt,
    0,
  ]);
  const layers = prepared.flatMap(({ spec, job }) =>
    job.layers.map((layer, i) => {
      const l = spec.layers[i];
      return [
        layer.id,
        job.id,
        layer.name,
        i,
        layer.type,
        layer.command,
        l?.range ?? '',
        l?.chunk ?? 1,
        layer.minCores,
        layer.maxCores,
        layer.threadable,
        layer.memoryMb,
        layer.gpus,
        layer.gpuMemoryMb,
        layer.tags.join(' '),
        layer.timeoutMinutes,
        JSON.stringify(layer.env),
        l?.outputPath ?? null,
      ];
    }),
  );
  const layerLimits = prepared.flatMap(({ job }) => job.layers.flatMap((l) => l.limitIds.map((limitId) => [l.id, limitId])));
  const frames = prepared.flatMap(({ job }) =>
    [...job.frames.values()].map((f) => [
      f.id,
      f.jobId,
      f.layerId,
      f.number,
      formatFrameList(f.frames),
      f.order,
      f.state,
      f.attempt,
      f.hostId,
    ]),
  );
  const dependRows = depends.map((r) => [
    r.id,
    r.type,
    r.dependerJobId,
    r.dependerLayerId,
    r.dependerFrameId,
    r.onJobId,
    r.onLayerId,
    r.onFrameId,
    true,
    now,
  ]);
  const statements = [
    ...dialect.insert(
      LIMIT,
      limits.map((l) => [l.id, l.name, l.max, now]),
    ),
    ...dialect.insert(NEW_JOB, jobs),
    ...dialect.insert(NEW_LAYER, layers),
    ...dialect.insert(NEW_LAYER_LIMIT, layerLimits),
    ...dialect.insert(NEW_FRAME, frames),
    ...dialect.insert(NEW_DEPEND, dependRows),
  ];
  // Frame ids are the dispatcher's; keep PostgreSQL's sequence past them for anyone else.
  if (d.database.provider === 'postgres')
    statements.push({ sql: `SELECT setval(pg_get_serial_sequence('"Frame"', 'id'), $1)`, params: [d.farm.nextFrameId] });
  return statements;
}
