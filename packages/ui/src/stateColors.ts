/**
 * The colors of every state, defined once: badges, progress bars, grids and charts all read
 * them from here so that RUNNING is the same amber on every page.
 */
import type { FrameState, HostLock, HostState, JobState } from '@farmhand/contracts';

export const FRAME_STATE_COLORS: Record<FrameState, string> = {
  WAITING: '#8b949e',
  DEPEND: '#a371f7',
  SETUP: '#58a6ff',
  RUNNING: '#e3b341',
  SUCCEEDED: '#3fb950',
  DEAD: '#f85149',
  EATEN: '#39c5bb',
};

export const JOB_STATE_COLORS: Record<JobState, string> = {
  PENDING: '#8b949e',
  RUNNING: '#e3b341',
  SUCCEEDED: '#3fb950',
  FAILED: '#f85149',
  KILLED: '#6e7681',
};

/** A paused job shows PAUSED whatever its state, in its own color. */
export const PAUSED_COLOR = '#58a6ff';

export const HOST_STATE_COLORS: Record<HostState, string> = {
  UP: '#3fb950',
  DOWN: '#f85149',
  REPAIR: '#db6d28',
};

export const HOST_LOCK_COLORS: Record<HostLock, string> = {
  OPEN: '#8b949e',
  LOCKED: '#db6d28',
  NIMBY_LOCKED: '#a371f7',
};

/** The color of any state name: frame, job, host state or lock. Unknown names are grey. */
export function stateColor(state: string): string {
  const tables: Record<string, string>[] = [FRAME_STATE_COLORS, JOB_STATE_COLORS, HOST_STATE_COLORS, HOST_LOCK_COLORS];
  if (state === 'PAUSED') return PAUSED_COLOR;
  for (const table of tables) {
    const color = table[state];
    if (color) return color;
  }
  return '#8b949e';
}
