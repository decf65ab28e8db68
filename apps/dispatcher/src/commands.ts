/**
 * Applies commands from the durable inbox, one at a time in the order they were stored, and
 * records each outcome on its row. The web wakes us per command; a poll picks up any we
 * missed (a restart, a lost wake-up).
 */
import { AppError, type CommandResult, commandSchema, type FarmCommand, fieldErrors } from '@farmhand/contracts';
import type { Dispatcher } from './dispatcher';
import { isFinished } from './dispatcher';
import type { MemFrame, MemJob } from './farm/model';
import { setFrameState } from './farm/model';
import { submitJob } from './submit';

export class CommandInbox {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly d: Dispatcher) {}

  /** Applies the command with this id (if still pending) and answers its outcome. Serialized. */
  apply(id: number): Promise<CommandResult> {
    const run = this.chain.then(() => this.applyNow(id));
    this.chain = run.catch(() => undefined);
    return run;
  }

  startPolling(intervalMs = 1000): void {
    const tick = async () => {
      try {
        const pending = await this.d.db.command.findMany({
          where: { status: 'PENDING' },
          orderBy: { id: 'asc' },
          select: { id: true },
          take: 100,
        });
        for (const c of pending) if (!this.stopped) await this.apply(c.id);
      } catch (e) {
        if (!this.stopped) this.d.log.error({ err: e }, 'polling commands failed');
      }
      // A tick that was running when stop() came must not start another.
      if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async applyNow(id: number): Promise<CommandResult> {
    const row = await this.d.db.command.findUnique({ where: { id } });
    if (!row) return { id, status: 'FAILED', outcome: { code: 'NOT_FOUND', message: `command ${id} does not exist` } };
    if (row.status !== 'PENDING') return { id, status: row.status, outcome: row.outcome ? JSON.parse(row.outcome) : null };
    let status: 'APPLIED' | 'FAILED';
    let outcome: Record<string, unknown>;
    try {
      const parsed = commandSchema.safeParse({
        kind: row.kind,
        targetType: row.targetType,
        targetId: row.targetId,
        args: JSON.parse(row.args),
      });
      if (!parsed.success) {
        const fields = fieldErrors(parsed.error);
        throw new AppError('VALIDATION', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
      }
      outcome = await this.execute(parsed.data);
      status = 'APPLIED';
    } catch (e) {
      status = 'FAILED';
      outcome = e instanceof AppError ? e.toJSON() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
      if (!(e instanceof AppError)) this.d.log.error({ err: e, command: id }, 'command failed unexpectedly');
    }
    await this.d.db.command.update({ where: { id }, data: { status, outcome: JSON.stringify(outcome), appliedAt: new Date() } });
    this.d.metrics.commandSeconds.observe({ kind: row.kind }, (Date.now() - row.createdAt.getTime()) / 1000);
    this.d.log.info({ command: id, kind: row.kind, user: row.user, target: row.targetId, status }, 'command applied');
    return { id, status, outcome };
  }

  private async execute(cmd: FarmCommand): Promise<Record<string, unknown>> {
    const d = this.d;
    switch (cmd.kind) {
      case 'submit_job':
        return submitJob(d, cmd.args);
      case 'submit_submission':
        throw new AppError('UNAVAILABLE', 'this dispatcher does not accept submissions of several jobs yet; submit the jobs one by one');
      case 'lock_host':
      case 'unlock_host': {
        const host = d.farm.hosts.get(cmd.targetId) ?? d.farm.hostsByName.get(cmd.targetId);
        if (!host) throw new AppError('NOT_FOUND', `host '${cmd.targetId}' does not exist`);
        host.lock = cmd.kind === 'lock_host' ? 'LOCKED' : 'OPEN';
        await d.queue.push((tx) => tx.host.update({ where: { id: host.id }, data: { lock: host.lock } }));
        d.publishHost(host);
        d.scheduling.invalidate();
        return { hostId: host.id, lock: host.lock };
      }
      default:
        return this.executeOnJob(cmd);
    }
  }

  private async executeOnJob(
    cmd: Exclude<FarmCommand, { kind: 'submit_job' | 'submit_submission' | 'lock_host' | 'unlock_host' }>,
  ): Promise<Record<string, unknown>> {
    const d = this.d;
    const job = d.farm.jobs.get(cmd.targetId);
    if (!job) {
      const stored = await d.db.job.findUnique({ where: { id: cmd.targetId }, select: { state: true } });
      if (stored) throw new AppError('CONFLICT', `job ${cmd.targetId} is ${stored.state} and can no longer be changed`);
      throw new AppError('NOT_FOUND', `job '${cmd.targetId}' does not exist`);
    }
    switch (cmd.kind) {
      case 'pause_job':
      case 'resume_job':
        job.paused = cmd.kind === 'pause_job';
        await d.queue.push((tx) => tx.job.update({ where: { id: job.id }, data: { paused: job.paused } }));
        d.publishJob(job);
        d.scheduling.invalidate();
        return { jobId: job.id, paused: job.paused };
      case 'set_priority':
        job.priority = cmd.args.priority;
        await d.queue.push((tx) => tx.job.update({ where: { id: job.id }, data: { priority: job.priority } }));
        d.publishJob(job);
        d.scheduling.invalidate();
        return { jobId: job.id, priority: job.priority };
      case 'kill_job':
        return this.killJob(job);
      case 'retry_frames':
        return this.retryFrames(
          job,
          pickFrames(job, cmd.args.frameIds, (f) => f.state === 'DEAD'),
        );
      case 'eat_frames':
        return this.eatFrames(
          job,
          pickFrames(job, cmd.args.frameIds, (f) => f.state === 'DEAD'),
        );
      case 'kill_frames': {
        const frames = pickFrames(job, cmd.args.frameIds, (f) => f.state === 'RUNNING' || f.state === 'SETUP');
        let killed = 0;
        for (const f of frames) {
          if (f.state !== 'RUNNING' && f.state !== 'SETUP') continue;
          f.killIntent = 'WAITING';
          d.killFrame(f, 'killed by a user');
          killed++;
        }
        return { jobId: job.id, killed };
      }
    }
  }

  private async retryFrames(job: MemJob, frames: MemFrame[]): Promise<Record<string, unknown>> {
    const d = this.d;
    const retried = frames.filter((f) => f.state === 'DEAD' || f.state === 'SUCCEEDED' || f.state === 'EATEN');
    if (isFinished(job) && job.state === 'KILLED') throw new AppError('CONFLICT', `job ${job.name} was killed; resubmit it instead`);
    for (const f of retried) {
      f.retries = 0;
      setFrameState(d.farm, f, d.farm.depends.isBlocked(f.id) ? 'DEPEND' : 'WAITING');
    }
    d.refreshJobState(job);
    const ids = retried.map((f) => f.id);
    const waiting = retried.filter((f) => f.state === 'WAITING').map((f) => f.id);
    const held = retried.filter((f) => f.state === 'DEPEND').map((f) => f.id);
    await d.queue.push(async (tx) => {
      if (waiting.length > 0) await tx.frame.updateMany({ where: { id: { in: waiting } }, data: { state: 'WAITING', retries: 0 } });
      if (held.length > 0) await tx.frame.updateMany({ where: { id: { in: held } }, data: { state: 'DEPEND', retries: 0 } });
      await tx.job.update({ where: { id: job.id }, data: { state: job.state, stoppedAt: null } });
    });
    for (const f of retried) d.publishFrame(f);
    d.publishJob(job);
    d.scheduling.invalidate();
    return { jobId: job.id, retried: ids.length };
  }

  private async eatFrames(job: MemJob, frames: MemFrame[]): Promise<Record<string, unknown>> {
    const d = this.d;
    const eaten: number[] = [];
    for (const f of frames) {
      if (f.state === 'SUCCEEDED' || f.state === 'EATEN') continue;
      if (f.state === 'RUNNING' || f.state === 'SETUP') {
        f.killIntent = 'EATEN';
        d.killFrame(f, 'eaten by a user');
        continue;
      }
      setFrameState(d.farm, f, 'EATEN');
      eaten.push(f.id);
    }
    const released: MemFrame[] = [];
    const satisfied: string[] = [];
    for (const id of eaten) {
      const f = job.frames.get(id);
      if (!f) continue;
      const done = d.frameDone(f);
      released.push(...done.released);
      satisfied.push(...done.satisfied);
    }
    d.refreshJobState(job);
    const jobs = new Set([job, ...released.map((f) => d.farm.jobs.get(f.jobId)).filter((j): j is MemJob => !!j)]);
    await d.queue.push(async (tx) => {
      if (eaten.length > 0) await tx.frame.updateMany({ where: { id: { in: eaten } }, data: { state: 'EATEN' } });
      if (released.length > 0) await tx.frame.updateMany({ where: { id: { in: released.map((f) => f.id) } }, data: { state: 'WAITING' } });
      if (satisfied.length > 0)
        await tx.depend.updateMany({ where: { id: { in: satisfied } }, data: { active: false, satisfiedAt: new Date() } });
      for (const j of jobs) await tx.job.update({ where: { id: j.id }, data: { state: j.state } });
    });
    for (const id of eaten) {
      const f = job.frames.get(id);
      if (f) d.publishFrame(f);
    }
    for (const f of released) d.publishFrame(f);
    for (const j of jobs) d.publishJob(j);
    d.scheduling.invalidate();
    return { jobId: job.id, eaten: eaten.length };
  }

  private async killJob(job: MemJob): Promise<Record<string, unknown>> {
    const d = this.d;
    let killed = 0;
    for (const f of job.frames.values()) {
      if (f.state === 'RUNNING' || f.state === 'SETUP') {
        f.killIntent = 'JOB_KILLED';
        d.killFrame(f, 'job killed by a user');
        killed++;
      }
    }
    job.state = 'KILLED';
    // OpenCue's rule: what waited on a killed job is released.
    const satisfied = d.farm.depends.takeSatisfied(`job:${job.id}`);
    for (const layer of job.layers) satisfied.push(...d.farm.depends.takeSatisfied(`layer:${layer.id}`));
    const released = d.releaseFrames(d.farm.depends.jobGone(job.id));
    const jobs = new Set(released.map((f) => d.farm.jobs.get(f.jobId)).filter((j): j is MemJob => !!j && j !== job));
    await d.queue.push(async (tx) => {
      await tx.job.update({ where: { id: job.id }, data: { state: 'KILLED', stoppedAt: new Date() } });
      if (released.length > 0) await tx.frame.updateMany({ where: { id: { in: released.map((f) => f.id) } }, data: { state: 'WAITING' } });
      if (satisfied.length > 0)
        await tx.depend.updateMany({ where: { id: { in: satisfied } }, data: { active: false, satisfiedAt: new Date() } });
      for (const j of jobs) await tx.job.update({ where: { id: j.id }, data: { state: j.state } });
    });
    d.publishJob(job);
    for (const f of released) d.publishFrame(f);
    for (const j of jobs) d.publishJob(j);
    d.scheduling.invalidate();
    return { jobId: job.id, killed };
  }
}

function pickFrames(job: MemJob, ids: number[] | undefined, byDefault: (f: MemFrame) => boolean): MemFrame[] {
  if (!ids) return [...job.frames.values()].filter(byDefault);
  return ids.map((id) => {
    const f = job.frames.get(id);
    if (!f) throw new AppError('NOT_FOUND', `frame ${id} is not a frame of job ${job.name}`);
    return f;
  });
}
