/**
 * When and how the dispatcher asks the scheduler for bookings. It keeps the scheduler's index
 * (`Scheduler`) between passes and feeds it the changes that happen all the time — procs that
 * end, frames that become ready, hosts that come and go — so that a host freeing cores costs an
 * incremental pass over that host only. Anything rarer (commands, a host going DOWN) drops the
 * index, and the next pass rebuilds it from memory; so does a timer, bounding any drift.
 * Requests made in one tick are served by one pass.
 */
import { type Booking, type NewJob, type ReadyFrame, Scheduler } from '@farmhand/scheduler';
import type { Logger } from 'pino';
import type { Farm, MemFrame, MemHost, MemJob, MemProc } from './farm/model';
import { buildSnapshot, hostSnapshot, isSchedulable, jobSnapshot, layerSnapshot } from './farm/snapshot';
import type { DispatcherMetrics } from './metrics';

/** The index is rebuilt from memory at least this often, whatever happened. */
const REBUILD_EVERY_MS = 30_000;

/**
 * A full pass this often while frames wait, even when nothing asked for one: a safety net, so
 * that a frame can never wait for an event that will not come (together with the rebuild, it
 * bounds how long any drift between the index and memory can hold a frame back).
 */
const SAFETY_PASS_EVERY_MS = 5_000;

export class Scheduling {
  private scheduler: Scheduler | null = null;
  private builtAt = 0;
  private fullPass = false;
  private readonly hostPasses = new Set<string>();
  private requested = false;
  private hostPassQueued = false;
  private running = false;
  private safetyTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly farm: Farm,
    private readonly book: (bookings: Booking[]) => void,
    private readonly metrics: DispatcherMetrics,
    private readonly log: Logger,
  ) {}

  /** Starts the safety-net passes; `stop()` ends them. */
  start(): void {
    this.safetyTimer = setInterval(() => {
      for (const job of this.farm.jobs.values())
        if (job.counts.WAITING > 0 && isSchedulable(job)) {
          this.requestFull();
          return;
        }
    }, SAFETY_PASS_EVERY_MS);
  }

  stop(): void {
    if (this.safetyTimer) clearInterval(this.safetyTimer);
  }

  /** Something changed that the index does not follow: rebuild it, then a full pass. */
  invalidate(): void {
    this.scheduler = null;
    this.requestFull();
  }

  /** A pass over every host (frames became ready, a job was submitted). */
  requestFull(): void {
    this.fullPass = true;
    this.request();
  }

  /**
   * A pass over one host that freed resources or came up — as soon as the current event is
   * applied (a microtask), not at the end of the event loop's turn: its bookings then join the
   * commit that carries the event itself, and the launch goes out with the event's ack. Waiting
   * for the turn's end (setImmediate) ran the booking after that commit had started, and the
   * launch waited for the next one, behind a whole turn of socket reads — most of the latency
   * from a freed core to the next launch on a busy dispatcher. A host pass costs microseconds.
   */
  requestHost(hostId: string): void {
    this.hostPasses.add(hostId);
    this.runSoon();
  }

  /** Runs what was requested once the current event is applied (see requestHost). */
  private runSoon(): void {
    if (this.hostPassQueued) return;
    this.hostPassQueued = true;
    queueMicrotask(() => {
      this.hostPassQueued = false;
      if (this.hostPasses.size > 0 || this.fullPass || !this.scheduler) this.run();
    });
  }

  /** A proc ended or its launch failed: its share goes back to the index. */
  released(proc: MemProc, layerId: string): void {
    this.safely(() => this.scheduler?.release(bookingOf(proc, layerId)));
  }

  /**
   * Frames that became WAITING with nothing holding them (frames of a killed job never book
   * again): inserted into their layers' queues in the index, then a full pass. A job the index
   * does not hold (it had finished) goes back whole.
   */
  framesReady(frames: readonly MemFrame[]): void {
    const scheduler = this.scheduler;
    if (frames.length === 0) return;
    if (scheduler) {
      const ready: ReadyFrame[] = [];
      const whole = new Set<MemJob>();
      for (const f of frames) {
        const job = this.farm.jobs.get(f.jobId);
        if (!job || !isSchedulable(job) || f.state !== 'WAITING') continue;
        if (scheduler.hasJob(job.id)) ready.push(readyFrame(f));
        else whole.add(job);
      }
      this.safely(() => scheduler.addFrames(ready));
      if (whole.size > 0) this.jobsAdded([...whole]);
    }
    this.requestFull();
  }

  /** A host registered, reconnected, disconnected or changed its lock. */
  hostChanged(host: MemHost): void {
    this.safely(() => this.scheduler?.updateHost(hostSnapshot(host)));
    this.requestHost(host.id);
  }

  /** A newly submitted job, with its ready frames. */
  jobAdded(job: MemJob): void {
    this.jobsAdded([job]);
  }

  /** Newly submitted jobs (one submission, maybe thousands of jobs): added to the index in one batch, then a full pass. */
  jobsAdded(jobs: readonly MemJob[]): void {
    const scheduler = this.scheduler;
    if (scheduler && jobs.length > 0) this.safely(() => scheduler.addJobs(jobs.map(newJob)));
    // A submission (rare: commands apply one at a time) is booked at once, so its first launches
    // leave with the next commit; frames made ready by exits keep one full pass per turn.
    this.fullPass = true;
    this.runSoon();
  }

  /** A job's layers changed shape (memory, cores) or the job its rank: it is indexed again, alone. */
  jobChanged(job: MemJob): void {
    this.safely(() => this.scheduler?.removeJob(job.id));
    if (isSchedulable(job)) this.jobAdded(job);
  }

  /** A finished job leaves the index (what it still holds is released as its procs end). */
  jobRemoved(job: MemJob): void {
    this.safely(() => this.scheduler?.removeJob(job.id));
  }

  /**
   * A full pass that also sees jobs whose submission is being stored (in `farm.storing`):
   * answers their bookings, to be written in the submission's own transaction, and books the
   * others as any pass does. The jobs leave the index again at once — nothing else may book
   * their frames before they are stored — and come back through `jobsAdded` once they are.
   */
  bookStoring(jobs: readonly MemJob[]): Booking[] {
    if (this.running || jobs.length === 0) return [];
    this.running = true;
    const started = performance.now();
    let scheduler: Scheduler | null = null;
    try {
      scheduler = this.index(Date.now());
      scheduler.addJobs(jobs.map(newJob));
      const bookings = scheduler.schedule().bookings;
      this.fullPass = false;
      this.hostPasses.clear();
      this.metrics.passSeconds.observe((performance.now() - started) / 1000);
      this.metrics.bookings.inc(bookings.length);
      const ids = new Set(jobs.map((j) => j.id));
      const theirs = bookings.filter((b) => ids.has(b.jobId));
      const others = bookings.filter((b) => !ids.has(b.jobId));
      if (others.length > 0) this.book(others);
      return theirs;
    } catch (e) {
      this.log.error({ err: e }, 'scheduling pass with a submission failed; the index is rebuilt at the next pass');
      this.scheduler = null;
      return [];
    } finally {
      for (const job of jobs) this.safely(() => scheduler?.removeJob(job.id));
      this.running = false;
    }
  }

  /** The index, rebuilt from memory when dropped or due. */
  private index(now: number): Scheduler {
    if (this.scheduler && now - this.builtAt <= REBUILD_EVERY_MS) return this.scheduler;
    this.scheduler = new Scheduler(buildSnapshot(this.farm, now));
    this.builtAt = now;
    this.metrics.schedulerRebuilds.inc();
    this.fullPass = true;
    return this.scheduler;
  }

  private request(): void {
    if (this.requested) return;
    this.requested = true;
    setImmediate(() => {
      this.requested = false;
      this.run();
    });
  }

  private run(): void {
    if (this.running) {
      this.request();
      return;
    }
    this.running = true;
    const started = performance.now();
    try {
      const scheduler = this.index(Date.now());
      let bookings: Booking[];
      if (this.fullPass) {
        bookings = scheduler.schedule().bookings;
      } else {
        bookings = [];
        for (const hostId of this.hostPasses) if (this.farm.hosts.has(hostId)) bookings.push(...scheduler.scheduleHost(hostId).bookings);
      }
      this.fullPass = false;
      this.hostPasses.clear();
      this.metrics.passSeconds.observe((performance.now() - started) / 1000);
      this.metrics.bookings.inc(bookings.length);
      if (bookings.length > 0) this.book(bookings);
    } catch (e) {
      this.log.error({ err: e }, 'scheduling pass failed; the index is rebuilt at the next pass');
      this.scheduler = null;
      setTimeout(() => this.requestFull(), 1000).unref();
    } finally {
      this.running = false;
    }
  }

  /** An index update the index refuses means it drifted from memory: rebuild it. */
  private safely(update: () => void): void {
    try {
      update();
    } catch (e) {
      this.log.warn({ err: e }, 'scheduler index out of step with memory; rebuilding it');
      this.invalidate();
    }
  }
}

function bookingOf(proc: MemProc, layerId: string): Booking {
  return {
    frameId: proc.frameId,
    jobId: proc.jobId,
    layerId,
    hostId: proc.hostId,
    cores: proc.cores,
    memoryMb: proc.memoryMb,
    gpus: proc.gpus,
    gpuMemoryMb: proc.gpuMemoryMb,
  };
}

/** A job as the index takes it: its snapshot, its layers and its WAITING frames. */
function newJob(job: MemJob): NewJob {
  const frames: ReadyFrame[] = [];
  for (const f of job.frames.values()) if (f.state === 'WAITING') frames.push(readyFrame(f));
  return { job: jobSnapshot(job, job.coresInUse), layers: job.layers.map(layerSnapshot), frames };
}

function readyFrame(f: MemFrame): ReadyFrame {
  return { id: f.id, layerId: f.layerId, order: f.order };
}
