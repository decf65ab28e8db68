'use client';
/**
 * `/jobs/[id]`: one job — its header (state, progress, actions), its layers, and its frames
 * grid with a log panel for the clicked frame. The frames and their live deltas come from
 * `useJobFrames` (the live room `job:<id>`); job deltas update the header.
 */
import { FrameProgressBar, StateBadge } from '@farmhand/ui';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatTime } from '../../client/format';
import { useGridView } from '../../client/SavedGrid';
import { useJobFrames } from '../../client/useJobFrames';
import type { JobRow } from '../../server/services/jobs';
import { FramesGrid } from './FramesGrid';
import { JobActions } from './JobActions';
import { JobFigures } from './JobFigures';
import { LayersTable } from './LayersTable';
import { type LogLink, LogPanel } from './LogPanel';
import { MoviePanel } from './MoviePanel';
import { WhyPanel } from './WhyPanel';

export function JobPage({ id, initialFrame, link }: { id: string; initialFrame?: number; link?: LogLink }) {
  const { query, data, store, rows, onReady, live } = useJobFrames(id);
  // The frames grid's saved view is read beside the job, not after it (the grid waits for both).
  useGridView('frames');
  const [selected, setSelected] = useState<number[]>([]);
  const [openId, setOpenId] = useState<number | null>(initialFrame ?? null);
  /** The person's choice to show or hide the explanation; null: shown when nothing runs. */
  const [whyOpen, setWhyOpen] = useState<boolean | null>(null);
  const onOpen = useCallback((frameId: number) => setOpenId(frameId), []);
  /** The person's choice to show or hide the movie; null: shown when the job has preview layers. */
  const [movieOpen, setMovieOpen] = useState<boolean | null>(null);
  // Black/missing flags come with a read of the frames, not with live deltas: when the movie
  // reports flags the grid's rows do not have yet, read the frames again.
  const [movieFlags, setMovieFlags] = useState<string | null>(null);
  const gridFlags = useMemo(
    () =>
      rows
        .filter((r) => r.media)
        .map((r) => `${r.layerId}:${r.number}:${r.media?.status}`)
        .sort()
        .join(','),
    [rows],
  );
  const gridFlagsNow = useRef(gridFlags);
  gridFlagsNow.current = gridFlags;
  const { refetch } = query;
  // Only when the movie's flags change: a read that still disagrees is not retried in a loop.
  useEffect(() => {
    if (movieFlags !== null && movieFlags !== gridFlagsNow.current) void refetch();
  }, [movieFlags, refetch]);

  if (query.error) {
    return (
      <div className="notice error" data-testid="job-error">
        {query.error.message} · <Link href="/">back to jobs</Link>
      </div>
    );
  }
  if (!data) return <div className="muted">Loading the job…</div>;

  const job: JobRow = { ...data.job, ...live, counts: store.jobCounts };
  const openFrame = openId === null ? undefined : store.get(openId);
  const c = job.counts;
  const waiting = c.WAITING + c.DEPEND;
  const active = c.RUNNING + c.SETUP;
  // Shown by itself when nothing runs although frames wait: the question the artist would ask.
  const whyShown = whyOpen ?? (waiting > 0 && active === 0 && job.state !== 'KILLED');
  const whyVersion = `${waiting > 0}:${active > 0}:${job.paused}:${c.DEAD}:${c.DEPEND}`;
  const movieShown = movieOpen ?? data.layers.some((l) => l.type === 'PREVIEW');
  return (
    <>
      <div className="toolbar">
        <Link href="/" className="muted">
          Jobs
        </Link>
        <span className="muted">/</span>
        <h1 data-testid="job-name">{job.name}</h1>
        <span data-testid="job-state">
          <StateBadge state={job.paused ? 'PAUSED' : job.state} />
        </span>
        <span className="muted">
          <Link href={`/shows/${encodeURIComponent(job.show)}`} className="muted" title="The show's settings (error patterns)">
            {job.show}
          </Link>
          {job.shot ? ` · ${job.shot}` : ''} · {job.user} · submitted {formatTime(job.submittedAt)} · max retries {job.maxRetries}
        </span>
        <span style={{ width: 200 }}>
          <FrameProgressBar counts={job.counts} />
        </span>
        <span data-testid="job-counts" className="muted">
          {job.counts.SUCCEEDED + job.counts.EATEN} / {store.size} done · {job.counts.RUNNING} running · {job.counts.DEAD} dead
        </span>
        <JobFigures job={job} frames={store} />
        <span className="spacer" />
        <button type="button" data-testid="movie-toggle" aria-expanded={movieShown} onClick={() => setMovieOpen(!movieShown)}>
          Movie
        </button>
        <button type="button" data-testid="why-job" aria-expanded={whyShown} onClick={() => setWhyOpen(!whyShown)}>
          Why isn’t it running?
        </button>
      </div>
      <JobActions job={job} selected={selected} deadCount={job.counts.DEAD} />
      {whyShown && <WhyPanel target={{ jobId: job.id }} version={whyVersion} />}
      <div className="panel" style={{ padding: '4px 8px', flex: 'none' }}>
        <LayersTable
          layers={data.layers}
          counts={(layerId) => store.layerCounts.get(layerId) ?? data.layers.find((l) => l.id === layerId)!.counts}
        />
      </div>
      <div style={{ flex: 1, minHeight: 0, display: 'flex', gap: 10 }}>
        {movieShown && (
          <div style={{ width: openFrame ? '30%' : '42%', minWidth: 320, overflow: 'auto' }}>
            <MoviePanel
              jobId={job.id}
              version={`${c.SUCCEEDED}:${c.DEAD}:${c.RUNNING}:${c.WAITING}`}
              onOpenFrame={onOpen}
              onFlags={setMovieFlags}
            />
          </div>
        )}
        <div style={{ flex: 1, minWidth: 0 }}>
          <FramesGrid rows={rows} onReady={onReady} onSelect={setSelected} onOpen={onOpen} />
        </div>
        {openFrame && (
          <div style={{ width: '46%', minWidth: 360 }}>
            <LogPanel
              key={openFrame.id}
              frame={openFrame}
              show={job.show}
              onClose={() => setOpenId(null)}
              link={openFrame.id === initialFrame ? link : undefined}
            />
          </div>
        )}
      </div>
    </>
  );
}
