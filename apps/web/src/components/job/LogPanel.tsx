'use client';
/**
 * The log panel of one frame: its attempts (host, times, exit), and the chosen attempt's log,
 * read from the file and then followed live. It follows the newest attempt unless the user
 * picked an older one.
 */
import { LogViewer, StateBadge } from '@farmhand/ui';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { elapsedSeconds, formatDuration, formatMb, formatTime } from '../../client/format';
import { useTRPC } from '../../client/trpc';
import { useFrameLog } from '../../client/useFrameLog';
import type { FrameRow } from '../../server/services/jobs';
import { WhyPanel } from './WhyPanel';

export interface LogLink {
  attempt?: number;
  line?: number;
}

/** The page's URL names the open frame, attempt and line, so it can be shared and reopened there. */
function linkTo(frameId: number, attempt: number | null, line?: number): void {
  const url = new URL(window.location.href);
  url.searchParams.set('frame', String(frameId));
  if (attempt !== null) url.searchParams.set('attempt', String(attempt));
  else url.searchParams.delete('attempt');
  if (line !== undefined) url.searchParams.set('line', String(line));
  else url.searchParams.delete('line');
  window.history.replaceState(null, '', url);
}

export function LogPanel({ frame, show, onClose, link }: { frame: FrameRow; show?: string; onClose: () => void; link?: LogLink }) {
  const trpc = useTRPC();
  // The show's error patterns for "jump to first error" (the defaults until they are read, or without a show).
  const patterns = useQuery({
    ...trpc.logRules.errorPatterns.queryOptions({ show: show ?? '' }),
    enabled: Boolean(show),
    staleTime: 60_000,
  });
  const attempts = useQuery(trpc.jobs.attempts.queryOptions({ frameId: frame.id }));
  const [picked, setPicked] = useState<number | null>(link?.attempt ?? null);
  const { refetch } = attempts;

  // A new attempt started, or the current one ended: read the attempts again.
  const progress = `${frame.attempt}:${frame.state}`;
  useEffect(() => {
    if (progress) void refetch();
  }, [progress, refetch]);

  const attempt = picked ?? (frame.attempt > 0 ? frame.attempt : null);
  const running = (frame.state === 'RUNNING' || frame.state === 'SETUP') && attempt === frame.attempt;
  const log = useFrameLog(frame.id, attempt, running);
  const rows = attempts.data ?? [];
  useEffect(() => {
    if (link?.line === undefined) linkTo(frame.id, picked);
  }, [frame.id, picked, link?.line]);

  return (
    <section
      aria-label={`Log of frame ${frame.number}`}
      data-testid="log-panel"
      data-frame-id={frame.id}
      className="panel"
      style={{ display: 'flex', flexDirection: 'column', gap: 6, padding: 8, minHeight: 0, height: '100%' }}
    >
      <div className="toolbar">
        <strong>
          {frame.layerName} · frame {frame.frames}
        </strong>
        <StateBadge state={frame.state} />
        {frame.hostName && <span className="muted">on {frame.hostName}</span>}
        <span className="spacer" />
        <button type="button" onClick={onClose} aria-label="Close the log" data-testid="log-close">
          ✕
        </button>
      </div>
      {(frame.state === 'WAITING' || frame.state === 'DEPEND') && (
        <WhyPanel target={{ frameId: frame.id }} version={`${frame.state}:${frame.attempt}`} />
      )}
      {rows.length > 0 && (
        <table data-testid="attempts" style={{ borderCollapse: 'collapse', fontSize: 12, width: '100%' }}>
          <thead>
            <tr className="muted" style={{ textAlign: 'left' }}>
              <th>attempt</th>
              <th>host</th>
              <th>started</th>
              <th>time</th>
              <th>exit</th>
              <th>max RSS</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr
                key={a.attempt}
                data-testid={`attempt-${a.attempt}`}
                aria-selected={a.attempt === attempt}
                onClick={() => setPicked(a.attempt === frame.attempt ? null : a.attempt)}
                style={{ cursor: 'pointer', background: a.attempt === attempt ? '#1f6feb33' : undefined }}
              >
                <td>
                  <button type="button" style={{ padding: '0 6px' }} aria-label={`Show the log of attempt ${a.attempt}`}>
                    #{a.attempt}
                  </button>
                </td>
                <td>{a.hostName}</td>
                <td>{formatTime(a.startedAt)}</td>
                <td>{formatDuration(elapsedSeconds(a.startedAt, a.stoppedAt))}</td>
                <td style={{ color: a.exitStatus ? '#f85149' : undefined }}>
                  {a.stoppedAt
                    ? `${a.exitStatus ?? ''}${a.exitSignal ? ` ${a.exitSignal}` : ''}${a.reason && a.reason !== 'EXITED' ? ` ${a.reason}` : ''}`
                    : 'running'}
                </td>
                <td>{formatMb(a.maxRssMb)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div style={{ flex: 1, minHeight: 120 }}>
        {attempt === null ? (
          <div className="muted">This frame has not run yet: its log appears when it starts.</div>
        ) : log.error ? (
          <div className="notice error" data-testid="log-error">
            {log.error}
          </div>
        ) : (
          <LogViewer
            key={attempt}
            text={log.text}
            truncated={log.truncated}
            status={`attempt ${attempt} · ${log.status}`}
            downloadUrl={`/api/v1/frames/${frame.id}/log?attempt=${attempt}`}
            downloadName={`${frame.layerName}.${frame.frames}.${attempt}.log`}
            initialLine={attempt === link?.attempt || (link?.attempt === undefined && picked === null) ? link?.line : undefined}
            onLineSelect={(line) => linkTo(frame.id, attempt, line)}
            outputStartsAfter="==== output ===="
            errorPatterns={patterns.data?.patterns}
          />
        )}
      </div>
    </section>
  );
}
