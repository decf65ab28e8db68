'use client';
/**
 * `/`: the jobs grid (mine, or everyone's), kept current by live job deltas from the
 * dispatcher's `farm` room: no polling. A delta for a job the list does not hold (a new
 * submission) reads the list again once.
 */
import { FarmGrid, FrameProgressBar, StateBadge } from '@farmhand/ui';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { gridKey, useFarm } from '../../client/farmContext';
import { formatTime } from '../../client/format';
import { useJobsList } from '../../client/useJobsList';
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
  { field: 'show', headerName: 'Show', width: 100, filter: true },
  { field: 'shot', headerName: 'Shot', width: 90 },
  { field: 'user', headerName: 'User', width: 100, filter: true },
  {
    field: 'state',
    headerName: 'State',
    width: 110,
    filter: true,
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
  const { user } = useFarm();
  const [mine, setMine] = useState(false);
  const jobs = useJobsList(mine && user ? { user } : {});

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
          {jobs.isPending ? 'loading…' : summary}
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
          stateKey={gridKey(user, 'jobs')}
          rowId={(j) => j.id}
          rowData={rows}
          columnDefs={columns}
          defaultColDef={{ sortable: true, resizable: true }}
          overlayNoRowsTemplate={jobs.isPending ? 'Loading…' : 'No jobs yet: submit one.'}
        />
      </div>
    </>
  );
}
