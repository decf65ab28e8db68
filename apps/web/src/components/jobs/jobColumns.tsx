/**
 * The jobs grid's columns, defined once for every grid of jobs (the jobs page, the wrangler's
 * farm page, job list panels of composed pages): the same names, the same state colours and
 * the same progress bar wherever a job appears.
 */
import { FrameProgressBar, StateBadge } from '@farmhand/ui';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import Link from 'next/link';
import { formatTime } from '../../client/format';
import type { JobRow } from '../../server/services/jobs';

type Cell = ICellRendererParams<JobRow>;

export const jobColumns: ColDef<JobRow>[] = [
  {
    field: 'name',
    headerName: 'Job',
    flex: 2,
    minWidth: 180,
    filter: true,
    cellRenderer: (p: Cell) =>
      p.data ? (
        <Link href={`/jobs/${p.data.id}`} data-testid="job-link" data-job-id={p.data.id}>
          {p.data.name}
        </Link>
      ) : null,
  },
  { field: 'show', headerName: 'Show', width: 100, filter: true },
  { field: 'shot', headerName: 'Shot', width: 100, filter: true },
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
    minWidth: 140,
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
    cellStyle: (p) => (p.value ? { color: 'var(--danger)', fontWeight: 600 } : null),
  },
  { field: 'priority', headerName: 'Pri', width: 64 },
  { field: 'submittedAt', headerName: 'Submitted', width: 120, sort: 'desc', valueFormatter: (p) => formatTime(p.value) },
];
