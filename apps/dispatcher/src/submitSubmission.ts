/**
 * Accepts a submission: many jobs and the depends between them (a whole-shot DAG), stored all
 * or nothing. Checks what only the farm knows (every show exists, every limit exists or is
 * created by the submission), then writes jobs, layers, limits, depends and frames in one
 * transaction as set-based statements — a 5,000-job DAG is hundreds of thousands of rows, which
 * Prisma's model API writes ~20× slower — through the dispatcher's store (one commit), and only
 * then adds them to memory, the depend graph and the scheduler.
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
  submissionDependType,
} from '@farmhand/contracts';
import type { Dispatcher } from './dispatcher';
import type { DependRow } from './farm/depends';
import { type Farm, type MemFrame, type MemJob, type MemLayer, zeroCounts } from './farm/model';
import type { Row, Table } from './persist/sql';

const JOB: Table = {
  name: 'Job',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['name', 'text'],
    ['showId', 'text'],
    ['shot', 'text'],
    ['user', 'text'],
    ['priority', 'int'],
    ['paused', 'bool'],
    ['maxRetries', 'int'],
    ['state', { enum: 'JobState' }],
    ['comment', 'text'],
    ['spec', 'text'],
    ['submittedAt', 'time'],
  ],
};
const LAYER: Table = {
  name: 'Layer',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['jobId', 'text'],
    ['name', 'text'],
    ['index', 'int'],
    ['type', { enum: 'LayerType' }],
    ['command', 'text'],
    ['range', 'text'],
    ['chunk', 'int'],
    ['minCores', 'float'],
    ['maxCores', 'float'],
    ['threadable', 'bool'],
    ['memoryMb', 'int'],
    ['gpus', 'int'],
    ['gpuMemoryMb', 'int'],
    ['tags', 'text'],
    ['timeoutMinutes', 'float'],
    ['env', 'text'],
    ['outputPath', 'text'],
  ],
};
const FRAME: Table = {
  name: 'Frame',
  keyColumns: 0,
  columns: [
    ['jobId', 'text'],
    ['layerId', 'text'],
    ['number', 'int'],
    ['frames', 'text'],
    ['dispatchOrder', 'int'],
    ['state', { enum: 'FrameState' }],
  ],
};
const LAYER_LIMIT: Table = {
  name: 'LayerLimit',
  keyColumns: 2,
  columns: [
    ['layerId', 'text'],
    ['limitId', 'text'],
  ],
};
const LIMIT: Table = {
  name: 'Limit',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['name', 'text'],
    ['max', 'int'],
    ['createdAt', 'time'],
  ],
};
const DEPEND: Table = {
  name: 'Depend',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['type', { enum: 'DependType' }],
    ['dependerJobId', 'text'],
    ['dependerLayerId', 'text'],
    ['onJobId', 'text'],
    ['onLayerId', 'text'],
    ['active', 'bool'],
    ['createdAt', 'time'],
  ],
};

/** Every problem only the farm can see, with paths into the submission (`jobs[3].show`). */
function checkAgainstFarm(farm: Farm, sub: Submission): void {
  const problems: FieldError[] = [];
  const limitNames = new Set([...farm.limits.values()].map((l) => l.name));
  for (const l of sub.limits) limitNames.add(l.name);
  sub.jobs.forEach((job, i) => {
    if (!farm.showsByName.has(job.show)) problems.push({ path: `jobs[${i}].show`, message: `show '${job.show}' does not exist` });
    job.layers.forEach((layer, li) => {
      layer.limits.forEach((name, k) => {
        if (!limitNames.has(name))
          problems.push({ path: `jobs[${i}].layers[${li}].limits[${k}]`, message: `limit '${name}' does not exist` });
      });
    });
  });
  if (problems.length > 0)
    throw new AppError(
      problems.some((p) => p.path.endsWith('.show')) ? 'NOT_FOUND' : 'VALIDATION',
      problems
        .slice(0, 20)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ') + (problems.length > 20 ? `; and ${problems.length - 20} more` : ''),
      problems,
    );
}

interface Planned {
  job: MemJob;
  spec: JobSpec;
  layerIds: Map<string, string>;
  chunks: ReturnType<typeof chunkFrames>[];
}

export async function submitSubmission(
  d: Dispatcher,
  sub: Submission,
): Promise<{ jobIds: Record<string, string>; jobs: number; frames: number; depends: number }> {
  const { farm } = d;
  checkAgainstFarm(farm, sub);
  const now = Date.now();
  const newLimits = sub.limits
    .filter((l) => ![...farm.limits.values()].some((m) => m.name === l.name))
    .map((l) => ({ ...l, id: randomUUID() }));
  const limitIdByName = new Map([...farm.limits.values()].map((l) => [l.name, l.id]));
  for (const l of newLimits) limitIdByName.set(l.name, l.id);

  // Layers that wait for anything start in DEPEND; the depend graph releases them.
  const waiting = new Set<string>();
  for (const dep of sub.depends) waiting.add(dep.layer ? `${dep.job}\u0000${dep.layer}` : `${dep.job}\u0000*`);
  const planned: Planned[] = sub.jobs.map((spec) => {
    const id = randomUUID();
    const layerIds = new Map(spec.layers.map((l) => [l.name, randomUUID()]));
    const chunks = spec.layers.map((l) => chunkFrames(parseFrameRange(l.range), l.chunk));
    const show = farm.showsByName.get(spec.show);
    const job: MemJob = {
      id,
      name: spec.name,
      showId: show?.id ?? '',
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
      layers: spec.layers.map(
        (l, i): MemLayer => ({
          id: layerIds.get(l.name) as string,
          jobId: id,
          name: l.name,
          type: l.type,
          command: l.command,
          minCores: l.cores,
          maxCores: l.maxCores ?? l.cores,
          threadable: l.threadable,
          memoryMb: l.memoryMb,
          gpus: l.gpus,
          gpuMemoryMb: l.gpuMemoryMb,
          tags: l.tags,
          limitIds: l.limits.map((n) => limitIdByName.get(n) as string),
          timeoutMinutes: l.timeoutMinutes ?? null,
          env: l.env,
          frameCount: chunks[i]?.length ?? 0,
          doneCount: 0,
        }),
      ),
      frames: new Map(),
    };
    return { job, spec, layerIds, chunks };
  });
  const byName = new Map(planned.map((p) => [p.spec.name, p]));

  const dependRows: DependRow[] = [];
  for (const p of planned)
    for (const l of p.spec.layers)
      for (const on of l.dependsOn)
        dependRows.push(row('LAYER_ON_LAYER', p.job.id, p.layerIds.get(l.name) ?? null, p.job.id, p.layerIds.get(on) ?? null));
  for (const dep of sub.depends) {
    const from = byName.get(dep.job) as Planned;
    const to = byName.get(dep.onJob) as Planned;
    dependRows.push(
      row(
        submissionDependType(dep),
        from.job.id,
        dep.layer ? (from.layerIds.get(dep.layer) ?? null) : null,
        to.job.id,
        dep.onLayer ? (to.layerIds.get(dep.onLayer) ?? null) : null,
      ),
    );
  }

  const jobRows: Row[] = [];
  const layerRows: Row[] = [];
  const layerLimitRows: Row[] = [];
  const frameRows: Row[] = [];
  for (const { job, spec, chunks } of planned) {
    jobRows.push([
      job.id,
      spec.name,
      job.showId,
      spec.shot,
      spec.user,
      spec.priority,
      spec.paused,
      spec.maxRetries,
      'PENDING',
      spec.comment ?? null,
      JSON.stringify(spec),
      now,
    ]);
    spec.layers.forEach((l, i) => {
      const layer = job.layers[i] as MemLayer;
      layerRows.push([
        layer.id,
        job.id,
        l.name,
        i,
        l.type,
        l.command,
        l.range,
        l.chunk,
        layer.minCores,
        layer.maxCores,
        l.threadable,
        l.memoryMb,
        l.gpus,
        l.gpuMemoryMb,
        l.tags.join(' '),
        l.timeoutMinutes ?? null,
        JSON.stringify(l.env),
        l.outputPath ?? null,
      ]);
      for (const limitId of layer.limitIds) layerLimitRows.push([layer.id, limitId]);
      const held = l.dependsOn.length > 0 || waiting.has(`${spec.name}\u0000${l.name}`) || waiting.has(`${spec.name}\u0000*`);
      (chunks[i] ?? []).forEach((c, order) => {
        frameRows.push([job.id, layer.id, c.number, formatFrameList(c.frames), order, held ? 'DEPEND' : 'WAITING']);
      });
    });
  }

  await d.store.run(async (tx, dialect) => {
    const statements = [
      ...dialect.insert(
        LIMIT,
        newLimits.map((l) => [l.id, l.name, l.max, now]),
      ),
      ...dialect.insert(JOB, jobRows),
      ...dialect.insert(LAYER, layerRows),
      ...dialect.insert(LAYER_LIMIT, layerLimitRows),
      ...dialect.insert(
        DEPEND,
        dependRows.map((r) => [r.id, r.type, r.dependerJobId, r.dependerLayerId, r.onJobId, r.onLayerId, true, now]),
      ),
      ...dialect.insert(FRAME, frameRows),
    ];
    for (const s of statements) await tx.$executeRawUnsafe(s.sql, ...s.params);
  });

  // Frame ids come from the database; read them back once everything is committed.
  const jobIds = planned.map((p) => p.job.id);
  const stored = await d.db.frame.findMany({
    where: { jobId: { in: jobIds } },
    select: { id: true, jobId: true, layerId: true, number: true, frames: true, dispatchOrder: true, state: true },
  });
  const jobsById = new Map(planned.map((p) => [p.job.id, p.job]));
  for (const r of stored) {
    const job = jobsById.get(r.jobId) as MemJob;
    const frame: MemFrame = {
      id: r.id,
      jobId: r.jobId,
      layerId: r.layerId,
      number: r.number,
      frames: parseFrameRange(r.frames),
      order: r.dispatchOrder,
      state: r.state,
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
    job.counts[frame.state]++;
    farm.frames.set(frame.id, frame);
  }
  for (const l of newLimits) farm.limits.set(l.id, { id: l.id, name: l.name, max: l.max });
  for (const { job } of planned) {
    for (const layer of job.layers) farm.layers.set(layer.id, layer);
    farm.jobs.set(job.id, job);
    farm.depends.addJob(job);
  }
  for (const r of dependRows) farm.depends.add(r);
  for (const { job } of planned) {
    d.refreshJobState(job);
    d.publishJob(job);
    d.scheduling.jobAdded(job);
  }
  return {
    jobIds: Object.fromEntries(planned.map((p) => [p.spec.name, p.job.id])),
    jobs: planned.length,
    frames: stored.length,
    depends: dependRows.length,
  };
}

function row(
  type: DependRow['type'],
  dependerJobId: string,
  dependerLayerId: string | null,
  onJobId: string,
  onLayerId: string | null,
): DependRow {
  return { id: randomUUID(), type, dependerJobId, dependerLayerId, dependerFrameId: null, onJobId, onLayerId, onFrameId: null };
}
