/**
 * Commands on one job and its frames: pause, resume, priority, kill, retry, eat, kill frames,
 * edit a layer's cores or memory. Each checks the state it needs first and refuses with an
 * outcome naming what is in the way (CONFLICT), so a command never half-applies: when it
 * names frames, either every one of them allows it or nothing changes. Commands are applied
 * one at a time, so two people's conflicting commands simply take effect in the order stored.
 */
import { AppError, type FarmCommand, type FrameState } from '@farmhand/contracts';
import type { Dispatcher } from './dispatcher';
import { type MemFrame, type MemJob, setFrameState } from './farm/model';
import { frameDone, publishReleased, releaseFrames } from './frameEvents';

type JobCommand = Extract<FarmCommand, { targetType: 'job' }>;
type LayerEdit = Extract<FarmCommand, { kind: 'edit_layer' }>['args'];

export async function executeOnJob(d: Dispatcher, cmd: JobCommand): Promise<Record<string, unknown>> {
  const job = d.farm.jobs.get(cmd.targetId);
  if (!job) {
    const stored = await d.db.job.findUnique({ where: { id: cmd.targetId }, select: { state: true, name: true } });
    if (stored) throw new AppError('CONFLICT', `job '${stored.name}' is ${stored.state} and can no longer be changed`);
    throw new AppError('NOT_FOUND', `job '${cmd.targetId}' does not exist`);
  }
  if (job.state === 'KILLED')
    throw new AppError('CONFLICT', `job '${job.name}' was killed and can no longer be changed; resubmit it instead`);
  switch (cmd.kind) {
    case 'pause_job':
    case 'resume_job':
      return editJob(d, job, () => {
        job.paused = cmd.kind === 'pause_job';
        return { jobId: job.id, paused: job.paused };
      });
    case 'set_priority':
      return editJob(d, job, () => {
        job.priority = cmd.args.priority;
        return { jobId: job.id, priority: job.priority };
      });
    case 'kill_job':
      return killJob(d, job);
    case 'retry_frames':
      return retryFrames(d, job, pick(job, cmd.args.frameIds, RETRYABLE, 'retried', ['DEAD']));
    case 'eat_frames':
      return eatFrames(d, job, pick(job, cmd.args.frameIds, EATABLE, 'eaten', ['DEAD']));
    case 'kill_frames':
      return killFrames(d, job, pick(job, cmd.args.frameIds, RUNNING, 'killed'));
    default:
      return refuse(job, cmd);
  }
}

const RETRYABLE: readonly FrameState[] = ['DEAD', 'SUCCEEDED', 'EATEN'];
const EATABLE: readonly FrameState[] = ['WAITING', 'DEPEND', 'DEAD', 'SETUP', 'RUNNING'];
const RUNNING: readonly FrameState[] = ['SETUP', 'RUNNING'];

/**
 * The frames a command names, each in a state that allows it — or, when it names none, every
 * frame of the job in `defaults` (or in `allowed`). Throws CONFLICT naming the frames that do not allow it.
 */
function pick(job: MemJob, ids: number[] | undefined, allowed: readonly FrameState[], verb: string, defaults = allowed): MemFrame[] {
  if (!ids) return [...job.frames.values()].filter((f) => defaults.includes(f.state));
  const frames = ids.map((id) => {
    const f = job.frames.get(id);
    if (!f) throw new AppError('NOT_FOUND', `frame ${id} is not a frame of job '${job.name}'`);
    return f;
  });
  const refused = frames.filter((f) => !allowed.includes(f.state));
  if (refused.length > 0) {
    const list = refused.slice(0, 10).map((f) => `${f.number} (${f.state})`);
    const more = refused.length > 10 ? ` and ${refused.length - 10} more` : '';
    throw new AppError(
      'CONFLICT',
      `frames ${list.join(', ')}${more} of job '${job.name}' cannot be ${verb}: only ${allowed.join(', ')} frames can; nothing was changed`,
    );
  }
  return frames;
}

async function editJob(d: Dispatcher, job: MemJob, edit: () => Record<string, unknown>): Promise<Record<string, unknown>> {
  const outcome = edit();
  d.store.job(job);
  d.scheduling.jobChanged(job);
  await d.store.commit();
  d.publishJob(job);
  return outcome;
}

async function killJob(d: Dispatcher, job: MemJob): Promise<Record<string, unknown>> {
  let killed = 0;
  for (const f of job.frames.values()) {
    if (f.state !== 'RUNNING' && f.state !== 'SETUP') continue;
    // A frame someone already ate stays eaten: eating says more than killing.
    if (f.killIntent !== 'EATEN') f.killIntent = 'JOB_KILLED';
    d.killFrame(f, 'job killed by a user');
    killed++;
  }
  job.state = 'KILLED';
  job.stoppedAt = Date.now();
  d.store.job(job);
  d.scheduling.jobRemoved(job);
  // OpenCue's rule: what waited on a killed job is released.
  const { depends } = d.farm;
  const satisfied = depends.takeSatisfied(`job:${job.id}`);
  for (const layer of job.layers) satisfied.push(...depends.takeSatisfied(`layer:${layer.id}`));
  for (const id of satisfied) d.store.dependSatisfied(id, job.stoppedAt);
  const released = releaseFrames(d, depends.jobGone(job.id));
  await d.store.commit();
  d.publishJob(job);
  publishReleased(d, released, job);
  return { jobId: job.id, killed };
}

async function retryFrames(d: Dispatcher, job: MemJob, frames: MemFrame[]): Promise<Record<string, unknown>> {
  for (const f of frames) {
    f.retries = 0;
    setFrameState(d.farm, f, d.farm.depends.isBlocked(f.id) ? 'DEPEND' : 'WAITING');
    d.store.frame(f);
  }
  d.refreshJobState(job);
  d.store.job(job);
  d.scheduling.jobChanged(job); // a FAILED job may have left the index: it goes back whole
  await d.store.commit();
  for (const f of frames) d.publishFrame(f);
  d.publishJob(job);
  return { jobId: job.id, retried: frames.length };
}

async function eatFrames(d: Dispatcher, job: MemJob, frames: MemFrame[]): Promise<Record<string, unknown>> {
  const eaten: MemFrame[] = [];
  const released: MemFrame[] = [];
  let killing = 0;
  for (const f of frames) {
    if (f.state === 'RUNNING' || f.state === 'SETUP') {
      f.killIntent = 'EATEN'; // it becomes EATEN when its host reports it stopped
      d.killFrame(f, 'eaten by a user');
      killing++;
      continue;
    }
    setFrameState(d.farm, f, 'EATEN');
    d.store.frame(f);
    eaten.push(f);
    released.push(...frameDone(d, f));
  }
  d.refreshJobState(job);
  d.scheduling.jobChanged(job);
  await d.store.commit();
  for (const f of eaten) d.publishFrame(f);
  publishReleased(d, released, job);
  d.publishJob(job);
  return { jobId: job.id, eaten: eaten.length, killing };
}

async function killFrames(d: Dispatcher, job: MemJob, frames: MemFrame[]): Promise<Record<string, unknown>> {
  for (const f of frames) {
    if (f.killIntent !== 'EATEN') f.killIntent = 'WAITING';
    d.killFrame(f, 'killed by a user');
  }
  return { jobId: job.id, killed: frames.length };
}

/** A layer's cores and memory from now on; frames running keep what they booked. */
export async function editLayer(d: Dispatcher, layerId: string, edit: LayerEdit): Promise<Record<string, unknown>> {
  const layer = d.farm.layers.get(layerId);
  if (!layer) {
    const stored = await d.db.layer.findUnique({
      where: { id: layerId },
      select: { name: true, job: { select: { name: true, state: true } } },
    });
    if (stored)
      throw new AppError(
        'CONFLICT',
        `layer '${stored.name}' belongs to job '${stored.job.name}', which is ${stored.job.state} and can no longer be changed`,
      );
    throw new AppError('NOT_FOUND', `layer '${layerId}' does not exist`);
  }
  const job = d.farm.jobs.get(layer.jobId);
  if (!job || job.state === 'KILLED') throw new AppError('CONFLICT', `layer '${layer.name}' belongs to a job that was killed`);
  const minCores = edit.minCores ?? layer.minCores;
  const maxCores = edit.maxCores ?? (layer.threadable ? Math.max(layer.maxCores, minCores) : minCores);
  if (maxCores < minCores)
    throw new AppError('VALIDATION', `maxCores (${maxCores}) must be at least minCores (${minCores})`, [
      { path: 'maxCores', message: `must be at least minCores (${minCores})` },
    ]);
  Object.assign(layer, { minCores, maxCores, memoryMb: edit.memoryMb ?? layer.memoryMb });
  d.store.layer(layer);
  d.scheduling.jobChanged(job);
  await d.store.commit();
  return { layerId: layer.id, minCores: layer.minCores, maxCores: layer.maxCores, memoryMb: layer.memoryMb };
}

/** A kind this module does not know (the union grew): refused rather than ignored. */
function refuse(job: MemJob, cmd: never): never {
  throw new AppError('VALIDATION', `command '${(cmd as { kind: string }).kind}' does not apply to job '${job.name}'`);
}
