'use client';
/**
 * `/production`: how far each show is — frames done, failing, running and waiting by sequence
 * and shot — and the core-hours each show used per day. Progress is read again when live job
 * deltas say frames changed (at most every few seconds); usage when the page opens.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useLiveRoom } from '../../client/live';
import { useTRPC } from '../../client/trpc';
import { throttle } from '../../client/useBulk';
import { CoreHoursChart } from './CoreHoursChart';
import { ProgressTree } from './ProgressTree';

const REFRESH_MS = 3_000;

export function ProductionPage() {
  const trpc = useTRPC();
  const [show, setShow] = useState('');
  const [days, setDays] = useState(30);
  const shows = useQuery(trpc.shows.list.queryOptions());
  const progress = useQuery(trpc.production.progress.queryOptions(show ? { show } : {}));
  const usage = useQuery(trpc.production.coreHours.queryOptions({ days }));
  const { refetch } = progress;
  const refresh = useMemo(() => throttle(() => void refetch(), REFRESH_MS), [refetch]);
  useLiveRoom('farm', { jobs: refresh });

  const totalHours = usage.data?.shows.reduce((n, s) => n + s.coreHours.reduce((a, b) => a + b, 0), 0) ?? 0;
  return (
    <>
      <div className="toolbar">
        <h1>Production</h1>
        <label className="muted">
          show{' '}
          <select aria-label="Show" data-testid="production-show" value={show} onChange={(e) => setShow(e.target.value)}>
            <option value="">all shows</option>
            {(shows.data ?? []).map((s) => (
              <option key={s.id} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">Sequence = the shot name before its first “_”, “-” or “.” (sq010_sh020 → sq010).</span>
      </div>
      <section className="panel" aria-label="Shot progress" style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <div className="panel-title">Progress by show, sequence and shot</div>
        <div className="panel-body" style={{ flex: 1 }}>
          {progress.error ? (
            <div className="notice error">Could not read the progress: {progress.error.message}</div>
          ) : progress.data ? (
            <ProgressTree shows={progress.data} />
          ) : (
            <div className="muted">Loading…</div>
          )}
        </div>
      </section>
      <section className="panel" aria-label="Core-hours per show per day" style={{ flex: 'none' }}>
        <div className="panel-title">
          Core-hours per show per day{' '}
          <span className="muted">
            ({totalHours.toFixed(1)} h in {days} days)
          </span>
          <span className="spacer" />
          <select aria-label="Days shown" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 30, 90].map((d) => (
              <option key={d} value={d}>
                last {d} days
              </option>
            ))}
          </select>
        </div>
        <div className="panel-body">
          {usage.error ? (
            <div className="notice error">Could not read the usage: {usage.error.message}</div>
          ) : usage.data ? (
            usage.data.shows.length ? (
              <CoreHoursChart usage={usage.data} />
            ) : (
              <div className="muted" data-testid="core-hours-empty">
                No core-hours recorded in these days yet.
              </div>
            )
          ) : null}
        </div>
      </section>
    </>
  );
}
