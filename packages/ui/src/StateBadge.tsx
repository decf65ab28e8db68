/**
 * A state shown as a small colored pill, the same for frames, jobs and hosts.
 */
import { stateColor } from './stateColors';

export interface StateBadgeProps {
  state: string;
  /** Shown instead of the state name, e.g. "PAUSED". */
  label?: string;
}

export function StateBadge({ state, label }: StateBadgeProps) {
  const color = stateColor(state);
  return (
    <span
      data-state={state}
      className="fh-state-badge"
      style={{
        display: 'inline-block',
        minWidth: 72,
        padding: '0 6px',
        borderRadius: 3,
        border: `1px solid ${color}`,
        color,
        background: `${color}22`,
        fontSize: 11,
        fontWeight: 600,
        lineHeight: '16px',
        letterSpacing: 0.3,
        textAlign: 'center',
      }}
    >
      {label ?? state}
    </span>
  );
}
