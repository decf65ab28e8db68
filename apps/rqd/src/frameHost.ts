/**
 * The frames of one host: accepts or refuses launches against what is free, keeps the bookings
 * (cores, memory, GPUs) of running frames, routes kills, and turns each frame's life into
 * outbox events — started, log chunks, exited — in that order. Real and simulated hosts share
 * it; only the StartFrame differs.
 */
import type { Ack, FrameExited, RunningFrame } from '@farmhand/contracts';
import { frameKillSchema, RQD_EVENTS } from '@farmhand/contracts';
import { FrameLog } from './frameLog';
import type { FrameRun, KillReason, StartFrame } from './frameRun';
import type { HostResources } from './hostResources';
import { checkLaunch } from './launchCheck';
import type { Outbox } from './outbox';
import type { RunningLedger } from './runningLedger';

export interface FrameHostOptions {
  hostName: string;
  logRoot: string;
  resources: HostResources;
  startFrame: StartFrame;
  outbox: Outbox;
  logBatchMs: number;
  logCapBytes: number;
  /** Real hosts record their frame processes so a restarted rqd can end the ones it lost. */
  ledger?: RunningLedger;
  onExited?: (exit: FrameExited) => void;
  warn?: (message: string) => void;
}

const FINISHED_MEMORY = 1000;

export class FrameHost {
  private readonly running = new Map<string, FrameRun>();
  /** Recently finished attempts, so a repeated launch of one is refused rather than run twice. */
  private readonly finished = new Set<string>();
  private lockReason: string | undefined;
  private readonly idleWaiters: Array<() => void> = [];
  /** CPU time of every frame that ended here, for NIMBY's accounting of farm versus desktop use. */
  finishedCpuSeconds = 0;

  constructor(private readonly options: FrameHostOptions) {}

  get runningCount(): number {
    return this.running.size;
  }

  /** Handles one frame of a `frames:launch`: its answer is given once the frame's process exists. */
  launch(message: unknown): Ack {
    const key = isKeyed(message) ? frameKey(message.frameId, message.attempt) : undefined;
    if (key && this.running.has(key)) return { ok: true }; // a repeated launch of what already runs
    if (key && this.finished.has(key))
      return { ok: false, error: `launch refused: attempt ${key} already ran on ${this.options.hostName}` };
    const { resources, hostName, logRoot } = this.options;
    if (this.lockReason) return { ok: false, error: `launch refused: host ${hostName} is NIMBY locked: ${this.lockReason}` };
    const booked = this.bookings();
    const check = checkLaunch(message, logRoot, {
      hostName,
      cores: resources.cores,
      freeCores: resources.cores - booked.cores,
      memoryMb: resources.memoryMb,
      freeMemoryMb: resources.memoryMb - booked.memoryMb,
      gpus: resources.gpus,
      busyGpus: booked.gpus,
    });
    if (!check.ok) {
      this.options.warn?.(check.error);
      return check;
    }
    const { launch, logFile } = check;
    const { outbox } = this.options;
    const log = new FrameLog(
      logFile,
      (chunk) =>
        outbox.push({ event: RQD_EVENTS.log, payload: { frameId: launch.frameId, attempt: launch.attempt, file: logFile, ...chunk } }),
      { batchMs: this.options.logBatchMs, capBytes: this.options.logCapBytes },
    );
    const run = this.options.startFrame(launch, { hostName, logFile, log });
    const runKey = frameKey(launch.frameId, launch.attempt);
    this.running.set(runKey, run);
    if (run.pid !== undefined) {
      outbox.push({
        event: RQD_EVENTS.started,
        payload: { frameId: launch.frameId, attempt: launch.attempt, pid: run.pid, startedAt: run.startedAt, logPath: launch.logPath },
      });
      this.options.ledger?.add({ frameId: launch.frameId, attempt: launch.attempt, pid: run.pid, startedAt: run.startedAt, logFile });
    }
    void run.exited.then((exit) => {
      this.running.delete(runKey);
      this.remember(runKey);
      this.finishedCpuSeconds += exit.cpuSeconds;
      outbox.push({ event: RQD_EVENTS.exited, payload: exit });
      this.options.ledger?.remove(launch.frameId, launch.attempt);
      this.options.onExited?.(exit);
      if (this.running.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
    return { ok: true };
  }

  /** Handles a `frame:kill`; a kill for a frame not running here is ignored (it already ended). */
  kill(message: unknown): void {
    const parsed = frameKillSchema.safeParse(message);
    if (!parsed.success) {
      this.options.warn?.(`frame:kill ignored: the message is not valid (${parsed.error.issues[0]?.message ?? 'unknown'})`);
      return;
    }
    const { frameId, attempt, reason } = parsed.data;
    this.running.get(frameKey(frameId, attempt))?.kill('KILLED', `killed by the dispatcher: ${reason}`);
  }

  /** Stops every running frame (NIMBY, shutdown) and waits for their exits. */
  async killAll(reason: KillReason, message: string): Promise<void> {
    const runs = [...this.running.values()];
    for (const run of runs) run.kill(reason, message);
    await Promise.all(runs.map((run) => run.exited));
  }

  runningFrames(): RunningFrame[] {
    return [...this.running.values()].map((run) => ({
      frameId: run.launch.frameId,
      attempt: run.launch.attempt,
      pid: run.pid,
      ...run.usage(),
    }));
  }

  /** Resolves when no frame runs here (their exits already in the outbox). */
  idle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** While set, launches are refused with this reason (NIMBY). */
  setLock(reason: string | undefined): void {
    this.lockReason = reason;
  }

  /** What running frames have booked here. */
  bookings(): { cores: number; memoryMb: number; gpus: Set<number> } {
    let cores = 0;
    let memoryMb = 0;
    const gpus = new Set<number>();
    for (const run of this.running.values()) {
      cores += run.launch.cores;
      memoryMb += run.launch.memoryMb;
      for (const gpu of run.launch.gpus) gpus.add(gpu);
    }
    return { cores, memoryMb, gpus };
  }

  private remember(key: string): void {
    this.finished.add(key);
    if (this.finished.size > FINISHED_MEMORY) this.finished.delete(this.finished.values().next().value as string);
  }
}

function frameKey(frameId: number, attempt: number): string {
  return `${frameId}.${attempt}`;
}

function isKeyed(message: unknown): message is { frameId: number; attempt: number } {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { frameId?: unknown }).frameId === 'number' &&
    typeof (message as { attempt?: unknown }).attempt === 'number'
  );
}
