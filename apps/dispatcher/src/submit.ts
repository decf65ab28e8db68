/**
 * Accepts a job spec: checks what only the farm knows (the show exists and subscribes to an
 * allocation, limits exist), expands frame ranges into frame rows (one per chunk), stores the
 * job, its layers, depends and frames in one transaction, then adds it to memory.
 */
import { randomUUID } from 'node:crypto';
import { AppError, chunkFrames, type FieldError, formatFrameList, type JobSpec, parseFrameRange } from '@farmhand/contracts';
import type { Dispatcher } from './dispatcher';
import type { DependRow } from './farm/depends';
import { type MemFrame, type MemJob, type MemLayer, zeroCounts } from './farm/model';

export async function submitJob(d: Dispatcher, spec: JobSpec): Promise<{ jobId: string; frames: number }> {
  const { farm } = d;
  const show = farm.showsByName.get(spec.show);
  const problems: FieldError[] = [];
  if (!show) problems.push({ path: 'show', message: `show '${spec.show}' does not exist` });
  const limitIdsByLayer = spec.layers.map((layer, i) =>
    layer.limits.map((name, j) => {
      const limit = [...farm.limits.values()].find((l) => l.name === name);
      if (!limit) problems.push({ path: `layers[${i}].limits[${j}]`, message: `limit '${name}' does not exist` });
      return limit?.id ?? '';
    }),
  );
  if (problems.length > 0 || !show)
    throw new AppError(
      problems.some((p) => p.path === 'show') ? 'NOT_FOUND' : 'VALIDATION',
      problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      problems,
    );

  const jobId = randomUUID();
  const submittedAt = Date.now();
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
    submittedAt,
    startedAt: null,
    coreSeconds: 0,
    counts: zeroCounts(),
    layers: [],
    frames: new Map(),
  };
  const layerIdByName = new Map(spec.layers.map((l) => [l.name, randomUUID()]));
  const dependRows: DependRow[] = spec.layers.flatMap((l) =>
    l.dependsOn.map((on) => ({
      id: randomUUID(),
      type: 'LAYER_ON_LAYER' as const,
      dependerJobId: jobId,
      dependerLayerId: layerIdByName.get(l.name) as string,
      dependerFrameId: null,
      onJobId: jobId,
      onLayerId: layerIdByName.get(on) as string,
      onFrameId: null,
    })),
  );
  const chunksByLayer = spec.layers.map((l) => chunkFrames(parseFrameRange(l.range), l.chunk));
  spec.layers.forEach((l, i) => {
    const layer: MemLayer = {
      id: layerIdByName.get(l.name) as string,
      jobId,
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
      limitIds: limitIdsByLayer[i] ?? [],
      timeoutMinutes: l.timeoutMinutes ?? null,
      env: l.env,
      frameCount: chunksByLayer[i]?.length ?? 0,
      doneCount: 0,
    };
    job.layers.push(layer);
  });

  await d.queue.push(async (tx) => {
    await tx.job.create({
      data: {
        id: jobId,
        name: spec.name,
        showId: show.id,
        shot: spec.shot,
        user: spec.user,
        priority: spec.priority,
        paused: spec.paused,
        maxRetries: spec.maxRetries,
        comment: spec.comment,
        spec: JSON.stringify(spec),
        submittedAt: new Date(submittedAt),
      },
    });
    for (const [i, layer] of job.layers.entries()) {
      const l = spec.layers[i];
      if (!l) continue;
      await tx.layer.create({
        data: {
          id: layer.id,
          jobId,
          name: layer.name,
          index: i,
          type: layer.type,
          command: layer.command,
          range: l.range,
          chunk: l.chunk,
          minCores: layer.minCores,
          maxCores: layer.maxCores,
          threadable: layer.threadable,
          memoryMb: layer.memoryMb,
          gpus: layer.gpus,
          gpuMemoryMb: layer.gpuMemoryMb,
          tags: layer.tags.join(' '),
          timeoutMinutes: layer.timeoutMinutes,
          env: JSON.stringify(layer.env),
          outputPath: l.outputPath,
          limits: { create: layer.limitIds.map((limitId) => ({ limitId })) },
        },
      });
      const state = l.dependsOn.length > 0 ? 'DEPEND' : 'WAITING';
      const chunks = chunksByLayer[i] ?? [];
      await tx.frame.createMany({
        data: chunks.map((c, order) => ({
          jobId,
          layerId: layer.id,
          number: c.number,
          frames: formatFrameList(c.frames),
          dispatchOrder: order,
          state,
        })),
      });
    }
    if (dependRows.length > 0) await tx.depend.createMany({ data: dependRows });
  });

  // Frame ids come from the database; read them back once the job is committed.
  const rows = await d.db.frame.findMany({
    where: { jobId },
    select: { id: true, layerId: true, number: true, frames: true, dispatchOrder: true, state: true },
  });
  for (const r of rows) {
    const frame: MemFrame = {
      id: r.id,
      jobId,
      layerId: r.layerId,
      number: r.number,
      frames: parseFrameRange(r.frames),
      order: r.dispatchOrder,
      state: r.state,
      retries: 0,
      attempt: 0,
      exitStatus: null,
      hostId: null,
      startedAt: null,
      stoppedAt: null,
      killIntent: null,
    };
    job.frames.set(frame.id, frame);
    job.counts[frame.state]++;
    farm.frames.set(frame.id, frame);
  }
  for (const layer of job.layers) farm.layers.set(layer.id, layer);
  farm.jobs.set(jobId, job);
  farm.depends.addJob(job);
  for (const row of dependRows) farm.depends.add(row);
  d.refreshJobState(job);
  d.publishJob(job);
  d.scheduling.jobAdded(job);
  return { jobId, frames: rows.length };
}
