/**
 * The frame lifecycle rules, as pure decisions: what a frame becomes when its process ends,
 * and what a job becomes when its frames change. OpenCue's semantics where it has them.
 */
import type { ExitReason, FrameState, JobState } from '@farmhand/contracts';
import type { MemFrame, MemJob } from './model';

export interface ExitDecision {
  state: FrameState;
  retries: number;
  /** Raise the layer's memory request to this many MB for the retry (memory kills). */
  raiseMemoryMbTo: number | null;
}

/** OpenCue raises a memory-killed layer's request by 2 GB; we also take at least the frame's peak. */
export const MEMORY_KILL_RAISE_MB = 2048;

/**
 * `largestHostMb`: the most memory any host offers. A raise never goes past it — a layer asking
 * for more than any host has would never run again; at the largest host it gets its best chance.
 */
export function decideFrameExit(
  frame: Pick<MemFrame, 'retries' | 'killIntent'>,
  exit: { exitStatus: number; reason: ExitReason; maxRssMb: number },
  maxRetries: number,
  layerMemoryMb: number,
  largestHostMb = Number.POSITIVE_INFINITY,
): ExitDecision {
  if (frame.killIntent === 'EATEN') return { state: 'EATEN', retries: frame.retries, raiseMemoryMbTo: null };
  // Killed by a user (or with its job): back to WAITING, no failure counted; a killed job never books it again.
  if (frame.killIntent === 'WAITING' || frame.killIntent === 'JOB_KILLED')
    return { state: 'WAITING', retries: frame.retries, raiseMemoryMbTo: null };
  if (exit.reason === 'EXITED' && exit.exitStatus === 0) return { state: 'SUCCEEDED', retries: frame.retries, raiseMemoryMbTo: null };
  if (exit.reason === 'MEMORY_KILL') {
    const raised = Math.min(
      Math.max(layerMemoryMb + MEMORY_KILL_RAISE_MB, Math.ceil(exit.maxRssMb)),
      Math.max(largestHostMb, layerMemoryMb),
    );
    return { state: 'WAITING', retries: frame.retries, raiseMemoryMbTo: raised > layerMemoryMb ? raised : null };
  }
  // Stopped for reasons that are not the frame's fault: it runs again, no failure counted.
  if (exit.reason === 'NIMBY') return { state: 'WAITING', retries: frame.retries, raiseMemoryMbTo: null };
  if (frame.retries < maxRetries) return { state: 'WAITING', retries: frame.retries + 1, raiseMemoryMbTo: null };
  return { state: 'DEAD', retries: frame.retries, raiseMemoryMbTo: null };
}

/** A job's state from its frames: done when every frame is SUCCEEDED or EATEN; FAILED when only DEAD ones remain. */
export function deriveJobState(job: Pick<MemJob, 'state' | 'counts' | 'startedAt'>): JobState {
  if (job.state === 'KILLED') return 'KILLED';
  const c = job.counts;
  const active = c.WAITING + c.DEPEND + c.SETUP + c.RUNNING;
  if (active > 0) return job.startedAt ? 'RUNNING' : 'PENDING';
  return c.DEAD > 0 ? 'FAILED' : 'SUCCEEDED';
}
