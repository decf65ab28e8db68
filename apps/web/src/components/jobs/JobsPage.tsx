'use client';
/**
 * `/`: the jobs grid (mine, or everyone's), kept current by live job deltas from the
 * dispatcher's `farm` room: no polling. A delta for a job the list does not hold (a new
 * submission) reads the list again once.
 */
import type { JobDelta } from '@farmhand/contracts';
import { FarmGrid, FrameProgressBar, StateBadge } from '@farmhand/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import Link from 'next/link';
import { useMemo, useRef, useState } from 'react';
import { useFarm } from '../../client/farmContext';
import { formatTime } from '../../client/format';
import { mergeJobDeltas } from '../../client/jobsCache';
import { useLiveRoom } from '../../client/live';
import { useTRPC } from '../../client/trpc';
import type { JobRow } from '../../server/services/jobs';

type Cell = ICellRendererParams<JobRow>;

const columns: ColDef<JobRow>[] = [
  {
    field: 'name',
    headerName: 'Job',
    flex: 2,
    minWidth: 180,
    cellRenderer: (p: Cell) =>
      p.data ? (
        <Link href={`/jobs/${p.data.id}`} data-testid="job-link" data-job-id={p.data.id}>
          {p.data.name}
        </Link>
      ) : null,
  },
  { field: 'show', headerName: 'Show', width: 100 },
  { field: 'shot', headerName: 'Shot', width: 90 },
  { field: 'user', headerName: 'User', width: 90 },
  {
    field: 'state',
    headerName: 'State',
    width: 100,
    cellRenderer: (p: Cell) => (p.data ? <StateBadge state={p.data.paused ? 'PAUSED' : p.data.state} /> : null),
  },
  {
    colId: 'progress',
    headerName: 'Progress',
    flex: 2,
    minWidth: 160,
    sortable: false,
    cellRenderer: (p: Cell) =>
      p.data ? (
        <div style={{ display: 'flex', alignItems: 'center', height: '100%' }}>
          <FrameProgressBar counts={p.data.counts} />
        </div>
      ) : null,
  },
  {
    colId: 'done',
    headerName: 'Done',
    width: 90,
    valueGetter: (p) => (p.data ? `${p.data.counts.SUCCEEDED + p.data.counts.EATEN} / ${p.data.totalFrames}` : ''),
  },
  { colId: 'running', headerName: 'Run', width: 64, valueGetter: (p) => p.data?.counts.RUNNING ?? 0 },
  { colId: 'waiting', headerName: 'Wait', width: 64, valueGetter: (p) => (p.data ? p.data.counts.WAITING + p.data.counts.DEPEND : 0) },
  {
    colId: 'dead',
    headerName: 'Dead',
    width: 64,
    valueGetter: (p) => p.data?.counts.DEAD ?? 0,
    cellStyle: (p) => (p.value ? { color: '#f85149', fontWeight: 600 } : null),
  },
  { field: 'priority', headerName: 'Pri', width: 64 },
  { field: 'submittedAt', headerName: 'Submitted', width: 120, sort: 'desc', valueFormatter: (p) => formatTime(p.value) },
];

export function JobsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { user } = useFarm();
  const [mine, setMine] = useState(false);
  const input = mine && user ? { user } : {};
  const jobs = useQuery(trpc.jobs.list.queryOptions(input));
  /** Jobs the current filter hides: their deltas must not trigger a re-read each time. */
  const hidden = useRef(new Set<string>());
  const refetching = useRef(false);

  useLiveRoom('farm', {
    jobs: (deltas: JobDelta[]) => {
      const key = trpc.jobs.list.queryKey(input);
      const current = queryClient.getQueryData(key);
      if (!current) return;
      const { rows, unknown } = mergeJobDeltas(current, deltas);
      queryClient.setQueryData(key, rows);
      const fresh = unknown.filter((id) => !hidden.current.has(id));
      if (fresh.length > 0 && !refetching.current) {
        refetching.current = true;
        void queryClient.refetchQueries({ queryKey: key }).finally(() => {
          refetching.current = false;
          const now = new Set(queryClient.getQueryData(key)?.map((j) => j.id));
          for (const id of fresh) if (!now.has(id)) hidden.current.add(id);
        });
      }
    },
    reconnected: () => void queryClient.invalidateQueries(trpc.jobs.list.pathFilter()),
  });

  const rows = jobs.data ?? [];
  const summary = useMemo(() => {
    const running = rows.filter((j) => j.state === 'RUNNING').length;
    const failed = rows.filter((j) => j.state === 'FAILED').length;
    return `${rows.length} jobs · ${running} running · ${failed} failed`;
  }, [rows]);

  return (
    <>
      <div className="toolbar">
        <h1>{mine ? 'My jobs' : 'Jobs'}</h1>
        <label>
          <input type="checkbox" data-testid="filter-mine" checked={mine} onChange={(e) => setMine(e.target.checked)} /> only mine
          {user ? ` (${user})` : ''}
        </label>
        <span className="muted" data-testid="jobs-summary">
          {jobs.isLoading ? 'loading…' : summary}
        </span>
        <span className="spacer" />
        <Link className="button primary" href="/submit" data-testid="new-job">
          Submit a job
        </Link>
      </div>
      {jobs.error && <div className="notice error">Could not read the jobs: {jobs.error.message}</div>}
      <div style={{ flex: 1, minHeight: 0 }}>
        <FarmGrid<JobRow>
          testId="jobs-grid"
          rowId={(j) => j.id}
          rowData={rows}
          columnDefs={columns}
          defaultColDef={{ sortable: true, resizable: true }}
          overlayNoRowsTemplate={jobs.isLoading ? 'Loading…' : 'No jobs yet: submit one.'}
        />
      </div>
    </>
  );
}
