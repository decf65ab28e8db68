'use client';
/**
 * `/jobs/[id]`: one job — its header (state, progress, actions), its layers, and its frames
 * grid with a log panel for the clicked frame. Joins the live room `job:<id>`: frame deltas
 * update the grid as row transactions and the counts in place; job deltas update the header.
 */
import { type FrameDelta, type JobDelta, liveRoom } from '@farmhand/contracts';
import { FrameProgressBar, StateBadge } from '@farmhand/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { GridApi } from 'ag-grid-community';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatTime } from '../../client/format';
import { FrameStore } from '../../client/frameStore';
import { useLiveRoom } from '../../client/live';
import { ReadDeltas, readWithDeltas } from '../../client/readDeltas';
import { useTRPC, useTRPCClient } from '../../client/trpc';
import type { FrameRow, JobDetail, JobRow } from '../../server/services/jobs';
import { FramesGrid } from './FramesGrid';
import { JobActions } from './JobActions';
import { JobFigures } from './JobFigures';
import { LayersTable } from './LayersTable';
import { type LogLink, LogPanel } from './LogPanel';
import { WhyPanel } from './WhyPanel';

/** The job's latest live state, and when it arrived: a later read of the job supersedes it. */
type JobLive = Pick<JobDelta, 'state' | 'paused' | 'priority'> & { at: number };

const EMPTY_STORE = new FrameStore([]);

export function JobPage({ id, initialFrame, link }: { id: string; initialFrame?: number; link?: LogLink }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const grid = useRef<GridApi<FrameRow> | null>(null);
  /** The frames of each read, built from it plus the deltas that arrived during it. */
  const stores = useRef(new WeakMap<JobDetail, FrameStore>()).current;
  /** When each read started: a job delta that arrived after it is newer than what it saw. */
  const readStarts = useRef(new WeakMap<JobDetail, number>()).current;
  /** Frame deltas that arrive while the job is being read: applied on top of each read. */
  const early = useRef(new ReadDeltas<FrameDelta>()).current;
  const queryClient = useQueryClient();
  const key = trpc.jobs.get.queryKey({ id });
  const [liveJob, setLiveJob] = useState<JobLive | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const [openId, setOpenId] = useState<number | null>(initialFrame ?? null);
  /** The person's choice to show or hide the explanation; null: shown when nothing runs. */
  const [whyOpen, setWhyOpen] = useState<boolean | null>(null);
  const [, setTick] = useState(0);
  const tickFrame = useRef<number | null>(null);

  const rerender = useCallback(() => {
    if (tickFrame.current !== null) return;
    tickFrame.current = requestAnimationFrame(() => {
      tickFrame.current = null;
      setTick((t) => t + 1);
    });
  }, []);
  useEffect(
    () => () => {
      if (tickFrame.current !== null) cancelAnimationFrame(tickFrame.current);
    },
    [],
  );

  const ready = useLiveRoom(liveRoom.job(id), {
    frames: (_jobId, deltas: FrameDelta[]) => {
      const mine = deltas.filter((d) => d.jobId === id);
      early.push(mine);
      const shown = queryClient.getQueryData(key);
      const store = shown && stores.get(shown);
      if (!store) return;
      const { updated, unknown } = store.apply(mine);
      if (updated.length > 0) {
        grid.current?.applyTransactionAsync({ update: updated });
        rerender();
      }
      if (unknown > 0) void query.refetch();
    },
    jobs: (deltas: JobDelta[]) => {
      const mine = deltas.filter((d) => d.id === id).at(-1);
      if (mine) setLiveJob({ state: mine.state, paused: mine.paused, priority: mine.priority, at: Date.now() });
    },
    resync: () => void query.refetch(),
  });
  const query = useQuery({
    queryKey: key,
    enabled: ready,
    queryFn: async () => {
      const startedAt = Date.now();
      // Synchronous after the read: no delta can slip between the read and the store built from it.
      return readWithDeltas(
        early,
        () => client.jobs.get.query({ id }),
        (detail, deltas) => {
          const fresh = new FrameStore(detail.frames);
          fresh.apply(deltas);
          stores.set(detail, fresh);
          readStarts.set(detail, startedAt);
          return detail;
        },
      );
    },
  });
  const data = query.data;
  // Data from the cache (a page visited again) was not read by this page: build its store now.
  if (data && !stores.has(data)) stores.set(data, new FrameStore(data.frames));
  const store = (data && stores.get(data)) || EMPTY_STORE;
  // The grid's rows as of the read (plus early deltas); later deltas reach it as transactions.
  const rows = useMemo(() => (data ? store.rows() : []), [data, store]);

  const storeRef = useRef(store);
  storeRef.current = store;
  const onReady = useCallback((api: GridApi<FrameRow>) => {
    grid.current = api;
    // Deltas that arrived between the read and the grid being ready changed the store but
    // reached no grid: start the grid from the store as it is now, not from the first render.
    api.setGridOption('rowData', storeRef.current.rows());
  }, []);
  const onOpen = useCallback((frameId: number) => setOpenId(frameId), []);

  if (query.error) {
    return (
      <div className="notice error" data-testid="job-error">
        {query.error.message} · <Link href="/">back to jobs</Link>
      </div>
    );
  }
  if (!data) return <div className="muted">Loading the job…</div>;

  const live =
    liveJob && liveJob.at >= (readStarts.get(data) ?? 0)
      ? { state: liveJob.state, paused: liveJob.paused, priority: liveJob.priority }
      : {};
  const job: JobRow = { ...data.job, ...live, counts: store.jobCounts };
  const openFrame = openId === null ? undefined : store.get(openId);
  const c = job.counts;
  const waiting = c.WAITING + c.DEPEND;
  const active = c.RUNNING + c.SETUP;
  // Shown by itself when nothing runs although frames wait: the question the artist would ask.
  const whyShown = whyOpen ?? (waiting > 0 && active === 0 && job.state !== 'KILLED');
  const whyVersion = `${waiting > 0}:${active > 0}:${job.paused}:${c.DEAD}:${c.DEPEND}`;
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
          {job.show}
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
        <div style={{ flex: 1, minWidth: 0 }}>
          <FramesGrid rows={rows} onReady={onReady} onSelect={setSelected} onOpen={onOpen} />
        </div>
        {openFrame && (
          <div style={{ width: '46%', minWidth: 360 }}>
            <LogPanel
              key={openFrame.id}
              frame={openFrame}
              onClose={() => setOpenId(null)}
              link={openFrame.id === initialFrame ? link : undefined}
            />
          </div>
        )}
      </div>
    </>
  );
}
