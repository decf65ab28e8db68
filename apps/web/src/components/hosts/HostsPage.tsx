'use client';
/**
 * `/hosts`: every host with its allocation, state, lock, idle cores, memory and last report,
 * updated by live host deltas; lock and unlock per host (a locked host takes no new frames);
 * `focus` (from `?host=`) narrows the grid to hosts matching a name.
 */
import { useMutation } from '@tanstack/react-query';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import Link from 'next/link';
import { useMemo } from 'react';
import { SavedGrid } from '../../client/SavedGrid';
import { useTRPC } from '../../client/trpc';
import { useHostsList } from '../../client/useHostsList';
import type { HostRow } from '../../server/services/hosts';
import { CommandNotice, useCommandFeedback } from '../CommandNotice';
import { hostColumns } from './hostColumns';

type Cell = ICellRendererParams<HostRow>;

export function HostsPage({ focus }: { focus?: string | undefined } = {}) {
  const trpc = useTRPC();
  const feedback = useCommandFeedback();
  const lock = useMutation(trpc.commands.lockHost.mutationOptions({ onSuccess: feedback.onSuccess, onError: feedback.onError }));
  const unlock = useMutation(trpc.commands.unlockHost.mutationOptions({ onSuccess: feedback.onSuccess, onError: feedback.onError }));
  const hosts = useHostsList();

  const columns = useMemo<ColDef<HostRow>[]>(
    () => [
      ...hostColumns,
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
        {focus && (
          <span className="muted" data-testid="hosts-focus">
            showing hosts matching “{focus}” · <Link href="/hosts">show all</Link>
          </span>
        )}
      </div>
      {hosts.error && <div className="notice error">Could not read the hosts: {hosts.error.message}</div>}
      <div style={{ flex: 1, minHeight: 0 }}>
        <SavedGrid<HostRow>
          grid="hosts"
          testId="hosts-grid"
          rowId={(h) => h.id}
          rowData={rows}
          columnDefs={columns}
          defaultColDef={{ sortable: true, resizable: true }}
          quickFilterText={focus ?? ''}
          overlayNoRowsTemplate={hosts.isPending ? 'Loading…' : 'No hosts yet: start rqd on a machine to add it.'}
        />
      </div>
    </>
  );
}
