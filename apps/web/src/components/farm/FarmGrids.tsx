'use client';
/**
 * The wrangler's grids: every show's jobs, the hosts and the procs, each with multi-row
 * selection for bulk actions and the person's columns, sort and filters remembered.
 */
import { FarmGrid, FrameProgressBar, StateBadge } from '@farmhand/ui';
import type { ColDef, ICellRendererParams, SelectionChangedEvent } from 'ag-grid-community';
import Link from 'next/link';
import { memo } from 'react';
import { formatMb, formatTime } from '../../client/format';
import type { HostRow } from '../../server/services/hosts';
import type { JobRow } from '../../server/services/jobs';
import type { ProcRow } from '../../server/services/procs';

const selection = { mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: true } as const;

const jobColumns: ColDef<JobRow>[] = [
  {
    field: 'name',
    headerName: 'Job',
    flex: 2,
    minWidth: 180,
    filter: true,
    cellRenderer: (p: ICellRendererParams<JobRow>) => (p.data ? <Link href={`/jobs/${p.data.id}`}>{p.data.name}</Link> : null),
  },
  { field: 'show', headerName: 'Show', width: 100, filter: true },
  { field: 'shot', headerName: 'Shot', width: 110, filter: true },
  { field: 'user', headerName: 'User', width: 100, filter: true },
  {
    field: 'state',
    headerName: 'State',
    width: 110,
    filter: true,
    cellRenderer: (p: ICellRendererParams<JobRow>) => (p.data ? <StateBadge state={p.data.paused ? 'PAUSED' : p.data.state} /> : null),
  },
  {
    colId: 'progress',
    headerName: 'Progress',
    flex: 1,
    minWidth: 120,
    sortable: false,
    cellRenderer: (p: ICellRendererParams<JobRow>) =>
      p.data ? (
        <div style={{ display: 'flex', alignItems: 'center', height: '100%' }}>
          <FrameProgressBar counts={p.data.counts} />
        </div>
      ) : null,
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

const hostColumns: ColDef<HostRow>[] = [
  { field: 'name', headerName: 'Host', flex: 1, minWidth: 140, filter: true },
  { field: 'allocation', headerName: 'Allocation', width: 130, filter: true },
  {
    field: 'state',
    headerName: 'State',
    width: 96,
    filter: true,
    cellRenderer: (p: ICellRendererParams<HostRow>) => (p.data ? <StateBadge state={p.data.state} /> : null),
  },
  {
    field: 'lock',
    headerName: 'Lock',
    width: 116,
    filter: true,
    cellRenderer: (p: ICellRendererParams<HostRow>) => (p.data ? <StateBadge state={p.data.lock} /> : null),
  },
  {
    colId: 'cores',
    headerName: 'Cores idle/total',
    width: 120,
    valueGetter: (p) => (p.data ? `${p.data.idleCores} / ${p.data.cores}` : ''),
  },
  {
    colId: 'memory',
    headerName: 'Memory free/total',
    width: 140,
    valueGetter: (p) => (p.data ? `${formatMb(p.data.freeMemoryMb)} / ${formatMb(p.data.memoryMb)}` : ''),
  },
  { field: 'load', headerName: 'Load', width: 64, valueFormatter: (p) => (typeof p.value === 'number' ? p.value.toFixed(2) : '') },
  { field: 'procs', headerName: 'Procs', width: 64 },
  { field: 'gpus', headerName: 'GPUs', width: 60 },
  { field: 'lastReportAt', headerName: 'Last report', width: 110, valueFormatter: (p) => formatTime(p.value) },
];

const procColumns: ColDef<ProcRow>[] = [
  { field: 'hostName', headerName: 'Host', width: 140, filter: true },
  {
    field: 'jobName',
    headerName: 'Job',
    flex: 1,
    minWidth: 160,
    filter: true,
    cellRenderer: (p: ICellRendererParams<ProcRow>) =>
      p.data ? <Link href={`/jobs/${p.data.jobId}?frame=${p.data.frameId}`}>{p.data.jobName}</Link> : null,
  },
  { field: 'show', headerName: 'Show', width: 90, filter: true },
  { field: 'user', headerName: 'User', width: 90, filter: true },
  { field: 'layerName', headerName: 'Layer', width: 100 },
  { field: 'frames', headerName: 'Frame', width: 80 },
  { field: 'attempt', headerName: 'Attempt', width: 76 },
  { field: 'cores', headerName: 'Cores', width: 64 },
  { field: 'memoryMb', headerName: 'Memory', width: 84, valueFormatter: (p) => formatMb(p.value) },
  { field: 'startedAt', headerName: 'Started', width: 100, valueFormatter: (p) => formatTime(p.value) },
];

interface GridProps<T> {
  rows: T[];
  stateKey: string;
  onSelect: (rows: T[]) => void;
  loading: boolean;
}

export const FarmJobsGrid = memo(function FarmJobsGrid({ rows, stateKey, onSelect, loading }: GridProps<JobRow>) {
  return (
    <FarmGrid<JobRow>
      testId="farm-jobs-grid"
      stateKey={stateKey}
      rowId={(j) => j.id}
      rowData={rows}
      columnDefs={jobColumns}
      defaultColDef={{ sortable: true, resizable: true }}
      rowSelection={selection}
      onSelectionChanged={(e: SelectionChangedEvent<JobRow>) => onSelect(e.api.getSelectedRows())}
      overlayNoRowsTemplate={loading ? 'Loading…' : 'No jobs.'}
    />
  );
});

export const FarmHostsGrid = memo(function FarmHostsGrid({ rows, stateKey, onSelect, loading }: GridProps<HostRow>) {
  return (
    <FarmGrid<HostRow>
      testId="farm-hosts-grid"
      stateKey={stateKey}
      rowId={(h) => h.id}
      rowData={rows}
      columnDefs={hostColumns}
      defaultColDef={{ sortable: true, resizable: true }}
      rowSelection={selection}
      onSelectionChanged={(e: SelectionChangedEvent<HostRow>) => onSelect(e.api.getSelectedRows())}
      overlayNoRowsTemplate={loading ? 'Loading…' : 'No hosts yet.'}
    />
  );
});

export const ProcsGrid = memo(function ProcsGrid({ rows, stateKey, loading }: Omit<GridProps<ProcRow>, 'onSelect'>) {
  return (
    <FarmGrid<ProcRow>
      testId="procs-grid"
      stateKey={stateKey}
      rowId={(p) => p.id}
      rowData={rows}
      columnDefs={procColumns}
      defaultColDef={{ sortable: true, resizable: true }}
      overlayNoRowsTemplate={loading ? 'Loading…' : 'Nothing is running.'}
    />
  );
});
