/**
 * What a running frame looks like to the host, whether it is a real process tree
 * (processRunner) or a simulated one (simulation/simulatedRunner): its usage, a way to stop it
 * with a reason, and the exit it ends with.
 */
import type { ExitReason, FrameExited, FrameLaunch } from '@farmhand/contracts';
import type { FrameLog } from './frameLog';

export interface FrameUsage {
  rssMb: number;
  maxRssMb: number;
  cpuSeconds: number;
}

/** Why rqd itself stops a frame. */
export type KillReason = Extract<ExitReason, 'MEMORY_KILL' | 'TIMEOUT' | 'LOG_CAP' | 'KILLED' | 'NIMBY'>;

export interface FrameRun {
  readonly launch: FrameLaunch;
  /** Undefined when the frame failed before a process existed (unknown user, spawn error). */
  readonly pid: number | undefined;
  readonly startedAt: number;
  usage(): FrameUsage;
  /** Stops the frame; the first reason given is the one reported. */
  kill(reason: KillReason, message: string): void;
  readonly exited: Promise<FrameExited>;
}

export interface FrameRunContext {
  hostName: string;
  /** Absolute path of this attempt's log file. */
  logFile: string;
  log: FrameLog;
}

/** Starts a frame; never throws for the frame's own failures (they end as an exit). */
export type StartFrame = (launch: FrameLaunch, context: FrameRunContext) => FrameRun;
