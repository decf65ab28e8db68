/**
 * A job's progress as one bar split by frame state (succeeded, running, dead, …), with a
 * tooltip listing the counts. Widths come from counts, colors from stateColors.
 */
import { FRAME_STATES, type FrameCounts, type FrameState } from '@farmhand/contracts';
import { FRAME_STATE_COLORS } from './stateColors';

/** Left to right: what is done first, then what is running, then what still waits. */
const BAR_ORDER: FrameState[] = ['SUCCEEDED', 'EATEN', 'RUNNING', 'SETUP', 'DEAD', 'DEPEND', 'WAITING'];

export interface FrameProgressBarProps {
  counts: Partial<FrameCounts>;
  height?: number;
}

export function totalFrames(counts: Partial<FrameCounts>): number {
  return FRAME_STATES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
}

export function FrameProgressBar({ counts, height = 12 }: FrameProgressBarProps) {
  const total = totalFrames(counts);
  const done = (counts.SUCCEEDED ?? 0) + (counts.EATEN ?? 0);
  const title = BAR_ORDER.filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${s} ${counts[s]}`)
    .join(' · ');
  return (
    <div
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-label={`${done} of ${total} frames done`}
      title={title || 'no frames'}
      style={{ display: 'flex', width: '100%', height, background: '#21262d', borderRadius: 2, overflow: 'hidden' }}
    >
      {total > 0 &&
        BAR_ORDER.map((state) => {
          const n = counts[state] ?? 0;
          if (n === 0) return null;
          return <div key={state} data-state={state} style={{ width: `${(100 * n) / total}%`, background: FRAME_STATE_COLORS[state] }} />;
        })}
    </div>
  );
}
