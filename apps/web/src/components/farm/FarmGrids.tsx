'use client';
/**
 * The wrangler's grids: every show's jobs, the hosts and the procs, each with multi-row
 * selection for bulk actions and the person's columns, sort and filters remembered.
 */
import type { ColDef, ICellRendererParams, SelectionChangedEvent } from 'ag-grid-community';
import Link from 'next/link';
import { memo } from 'react';
import { formatMb, formatTime } from '../../client/format';
import { SavedGrid } from '../../client/SavedGrid';
import type { HostRow } from '../../server/services/hosts';
import type { JobRow } from '../../server/services/jobs';
import type { ProcRow } from '../../server/services/procs';
import { hostColumns } from '../hosts/hostColumns';
import { jobColumns } from '../jobs/jobColumns';

const selection = { mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: true } as const;

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
  onSelect: (rows: T[]) => void;
  loading: boolean;
}

export const FarmJobsGrid = memo(function FarmJobsGrid({ rows, onSelect, loading }: GridProps<JobRow>) {
  return (
    <SavedGrid<JobRow>
      grid="farm-jobs"
      testId="farm-jobs-grid"
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

export const FarmHostsGrid = memo(function FarmHostsGrid({ rows, onSelect, loading }: GridProps<HostRow>) {
  return (
    <SavedGrid<HostRow>
      grid="farm-hosts"
      testId="farm-hosts-grid"
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

export const ProcsGrid = memo(function ProcsGrid({ rows, loading }: Omit<GridProps<ProcRow>, 'onSelect'>) {
  return (
    <SavedGrid<ProcRow>
      grid="procs"
      testId="procs-grid"
      rowId={(p) => p.id}
      rowData={rows}
      columnDefs={procColumns}
      defaultColDef={{ sortable: true, resizable: true }}
      overlayNoRowsTemplate={loading ? 'Loading…' : 'Nothing is running.'}
    />
  );
});
