/**
 * The hosts grid's columns, defined once for every grid of hosts (the hosts page, the
 * wrangler's farm page, host list panels of composed pages).
 */
import { StateBadge } from '@farmhand/ui';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { formatMb, formatTime } from '../../client/format';
import type { HostRow } from '../../server/services/hosts';

type Cell = ICellRendererParams<HostRow>;

export const hostColumns: ColDef<HostRow>[] = [
  { field: 'name', headerName: 'Host', flex: 1, minWidth: 140, filter: true },
  { field: 'allocation', headerName: 'Allocation', width: 130, filter: true },
  {
    field: 'state',
    headerName: 'State',
    width: 100,
    filter: true,
    cellRenderer: (p: Cell) => (p.data ? <StateBadge state={p.data.state} /> : null),
  },
  {
    field: 'lock',
    headerName: 'Lock',
    width: 116,
    filter: true,
    cellRenderer: (p: Cell) => (p.data ? <StateBadge state={p.data.lock} /> : null),
  },
  {
    colId: 'cores',
    headerName: 'Cores idle / total',
    width: 130,
    valueGetter: (p) => (p.data ? `${p.data.idleCores} / ${p.data.cores}` : ''),
  },
  {
    colId: 'memory',
    headerName: 'Memory free / total',
    width: 150,
    valueGetter: (p) => (p.data ? `${formatMb(p.data.freeMemoryMb)} / ${formatMb(p.data.memoryMb)}` : ''),
  },
  { field: 'load', headerName: 'Load', width: 64, valueFormatter: (p) => (typeof p.value === 'number' ? p.value.toFixed(2) : '') },
  { field: 'procs', headerName: 'Procs', width: 64 },
  { field: 'gpus', headerName: 'GPUs', width: 60 },
  { field: 'lastReportAt', headerName: 'Last report', width: 110, valueFormatter: (p) => formatTime(p.value) },
];
