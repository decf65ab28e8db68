'use client';
/**
 * `/hosts`: every host with its allocation, state, lock, idle cores, memory and last report,
 * updated by live host deltas; lock and unlock per host (a locked host takes no new frames).
 */
import { FarmGrid, StateBadge } from '@farmhand/ui';
import { useMutation } from '@tanstack/react-query';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useMemo } from 'react';
import { gridKey, useFarm } from '../../client/farmContext';
import { formatMb, formatTime } from '../../client/format';
import { useTRPC } from '../../client/trpc';
import { useHostsList } from '../../client/useHostsList';
import type { HostRow } from '../../server/services/hosts';
import { CommandNotice, useCommandFeedback } from '../CommandNotice';

type Cell = ICellRendererParams<HostRow>;

export function HostsPage() {
  const trpc = useTRPC();
  const feedback = useCommandFeedback();
  const lock = useMutation(trpc.commands.lockHost.mutationOptions({ onSuccess: feedback.onSuccess, onError: feedback.onError }));
  const unlock = useMutation(trpc.commands.unlockHost.mutationOptions({ onSuccess: feedback.onSuccess, onError: feedback.onError }));
  const hosts = useHostsList();
  const { user } = useFarm();

  const columns = useMemo<ColDef<HostRow>[]>(
    () => [
      { field: 'name', headerName: 'Host', flex: 1, minWidth: 160 },
      { field: 'allocation', headerName: 'Allocation', width: 140, filter: true },
      {
        field: 'state',
        headerName: 'State',
        width: 104,
        filter: true,
        cellRenderer: (p: Cell) => (p.data ? <StateBadge state={p.data.state} /> : null),
      },
      { field: 'lock', headerName: 'Lock', width: 120, cellRenderer: (p: Cell) => (p.data ? <StateBadge state={p.data.lock} /> : null) },
      {
        colId: 'cores',
        headerName: 'Cores idle / total',
        width: 140,
        valueGetter: (p) => (p.data ? `${p.data.idleCores} / ${p.data.cores}` : ''),
      },
      {
        colId: 'memory',
        headerName: 'Memory free / total',
        width: 160,
        valueGetter: (p) => (p.data ? `${formatMb(p.data.freeMemoryMb)} / ${formatMb(p.data.memoryMb)}` : ''),
      },
      { field: 'procs', headerName: 'Procs', width: 70 },
      { field: 'load', headerName: 'Load', width: 70, valueFormatter: (p) => (typeof p.value === 'number' ? p.value.toFixed(2) : '') },
      { field: 'lastReportAt', headerName: 'Last report', width: 120, valueFormatter: (p) => formatTime(p.value) },
      { field: 'os', headerName: 'OS', width: 140 },
      {
        colId: 'actions',
        headerName: '',
        width: 90,
        sortable: false,
        cellRenderer: (p: Cell) => {
          const host = p.data;
          if (!host) return null;
          const locked = host.lock !== 'OPEN';
          return locked ? (
            <button
              type="button"
              data-testid="host-unlock"
              aria-label={`Unlock host ${host.name}`}
              onClick={() => unlock.mutate({ hostId: host.id })}
            >
              Unlock
            </button>
          ) : (
            <button
              type="button"
              data-testid="host-lock"
              aria-label={`Lock host ${host.name}`}
              onClick={() => lock.mutate({ hostId: host.id })}
            >
              Lock
            </button>
          );
        },
      },
    ],
    [lock.mutate, unlock.mutate],
  );

  const rows = hosts.data ?? [];
  const up = rows.filter((h) => h.state === 'UP').length;
  const cores = rows.reduce((n, h) => n + h.cores, 0);
  const idle = rows.reduce((n, h) => n + (h.state === 'UP' && h.lock === 'OPEN' ? h.idleCores : 0), 0);
  return (
    <>
      <div className="toolbar">
        <h1>Hosts</h1>
        <span className="muted" data-testid="hosts-summary">
          {hosts.isPending ? 'loading…' : `${rows.length} hosts · ${up} up · ${idle} of ${cores} cores idle`}
        </span>
        <CommandNotice notice={feedback.notice} />
      </div>
      {hosts.error && <div className="notice error">Could not read the hosts: {hosts.error.message}</div>}
      <div style={{ flex: 1, minHeight: 0 }}>
        <FarmGrid<HostRow>
          testId="hosts-grid"
          stateKey={gridKey(user, 'hosts')}
          rowId={(h) => h.id}
          rowData={rows}
          columnDefs={columns}
          defaultColDef={{ sortable: true, resizable: true }}
          overlayNoRowsTemplate={hosts.isPending ? 'Loading…' : 'No hosts yet: start rqd on a machine to add it.'}
        />
      </div>
    </>
  );
}
