'use client';
/**
 * What needs a wrangler: jobs that cannot run with the scheduler's reasons, dead frames grouped
 * by the last error line of their logs (with a retry for the group), hosts down or silent.
 */
import { StateBadge } from '@farmhand/ui';
import Link from 'next/link';
import type { DeadFrameGroup, HostProblem, StuckJob } from '../../server/services/problems';

export interface ProblemsProps {
  stuckJobs: StuckJob[];
  deadFrames: DeadFrameGroup[];
  hosts: HostProblem[];
  onRetryGroup: (group: DeadFrameGroup) => void;
}

export function ProblemsPanel({ stuckJobs, deadFrames, hosts, onRetryGroup }: ProblemsProps) {
  const none = stuckJobs.length === 0 && deadFrames.length === 0 && hosts.length === 0;
  if (none)
    return (
      <div className="muted" data-testid="problems-none">
        No problems: every waiting job can run, no dead frames, every host reports.
      </div>
    );
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
      {stuckJobs.length > 0 && (
        <section aria-label="Jobs that cannot run">
          <div className="muted">Jobs that cannot run ({stuckJobs.length})</div>
          {stuckJobs.map((j) => (
            <div
              key={j.jobId}
              data-testid="stuck-job"
              data-job-id={j.jobId}
              style={{ padding: '4px 0', borderBottom: '1px solid var(--border)' }}
            >
              <Link href={`/jobs/${j.jobId}`}>{j.name}</Link>{' '}
              <span className="muted">
                {j.show} · {j.user} · {j.waiting} frame{j.waiting === 1 ? '' : 's'} waiting
              </span>
              <ul style={{ margin: '2px 0 0', paddingLeft: 18 }}>
                {j.reasons.map((r) => (
                  <li key={r.reason} data-testid="stuck-reason" data-code={r.code}>
                    {r.reason}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
      {deadFrames.length > 0 && (
        <section aria-label="Dead frames by error">
          <div className="muted">Dead frames by last error line</div>
          <table className="dense">
            <tbody>
              {deadFrames.map((g) => (
                <tr key={g.key} data-testid="dead-group">
                  <td style={{ width: 40, color: 'var(--danger)', fontWeight: 600 }}>{g.count}</td>
                  <td className="mono" style={{ wordBreak: 'break-all' }} title={g.example}>
                    {g.example}
                    <div className="muted" style={{ fontFamily: 'inherit' }}>
                      {g.frames.slice(0, 4).map((f, i) => (
                        <span key={f.id}>
                          {i > 0 && ', '}
                          <Link href={`/jobs/${f.jobId}?frame=${f.id}`}>
                            {f.jobName} {f.layerName} {f.frames}
                          </Link>
                        </span>
                      ))}
                      {g.count > 4 && ` and ${g.count - 4} more`}
                    </div>
                  </td>
                  <td style={{ width: 70 }}>
                    <button type="button" data-testid="dead-group-retry" onClick={() => onRetryGroup(g)}>
                      Retry
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {hosts.length > 0 && (
        <section aria-label="Hosts down or not reporting">
          <div className="muted">Hosts down or not reporting ({hosts.length})</div>
          <table className="dense">
            <tbody>
              {hosts.map((h) => (
                <tr key={h.id} data-testid="host-problem">
                  <td style={{ width: 160 }}>{h.name}</td>
                  <td style={{ width: 90 }}>
                    <StateBadge state={h.state} />
                  </td>
                  <td>{h.problem}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
