'use client';
/**
 * The frames of a job in AG Grid: rows keyed by frame id, given once and then changed by
 * row deltas (`applyTransactionAsync`) so 100,000 frames stay smooth. Multi-row selection
 * for the frame actions; a click on a row opens its log.
 */
import { StateBadge } from '@farmhand/ui';
import type { ColDef, GridApi, ICellRendererParams } from 'ag-grid-community';
import { memo, useMemo } from 'react';
import { elapsedSeconds, formatDuration, formatMb, formatTime } from '../../client/format';
import { SavedGrid } from '../../client/SavedGrid';
import type { FrameRow } from '../../server/services/jobs';

type Cell = ICellRendererParams<FrameRow>;

export interface FramesGridProps {
  rows: FrameRow[];
  onReady: (api: GridApi<FrameRow>) => void;
  onSelect: (ids: number[]) => void;
  onOpen: (frameId: number) => void;
}

export const FramesGrid = memo(function FramesGrid({ rows, onReady, onSelect, onOpen }: FramesGridProps) {
  const columns = useMemo<ColDef<FrameRow>[]>(
    () => [
      { field: 'layerName', headerName: 'Layer', width: 110, filter: true },
      {
        field: 'number',
        headerName: 'Frame',
        width: 90,
        cellRenderer: (p: Cell) =>
          p.data ? (
            <button
              type="button"
              data-testid="frame-open-log"
              data-frame-number={p.data.number}
              aria-label={`Open the log of frame ${p.data.frames} of layer ${p.data.layerName}`}
              style={{ padding: '0 6px', lineHeight: '16px' }}
              onClick={(e) => {
                e.stopPropagation();
                if (p.data) onOpen(p.data.id);
              }}
            >
              {p.data.frames}
            </button>
          ) : null,
      },
      {
        field: 'state',
        headerName: 'State',
        width: 112,
        filter: true,
        cellRenderer: (p: Cell) => (p.data ? <StateBadge state={p.data.state} /> : null),
      },
      {
        colId: 'image',
        headerName: 'Image',
        width: 90,
        // The preview's check of the frame's image: black or empty, missing, unreadable.
        valueGetter: (p) => p.data?.media?.status ?? '',
        cellRenderer: (p: Cell) =>
          p.data?.media ? (
            <span
              data-testid="frame-media-flag"
              data-frame-number={p.data.number}
              title={p.data.media.reason ?? ''}
              style={{ color: p.data.media.status === 'BLACK' ? '#d29922' : '#f85149', fontWeight: 600 }}
            >
              {p.data.media.status === 'BLACK' ? '■ black' : p.data.media.status.toLowerCase()}
            </span>
          ) : null,
      },
      { field: 'retries', headerName: 'Retries', width: 74 },
      { field: 'attempt', headerName: 'Attempts', width: 92 },
      { field: 'hostName', headerName: 'Host', width: 140, filter: true },
      { field: 'startedAt', headerName: 'Started', width: 100, valueFormatter: (p) => formatTime(p.value) },
      {
        colId: 'time',
        headerName: 'Time',
        width: 80,
        valueGetter: (p) => (p.data?.stoppedAt ? elapsedSeconds(p.data.startedAt, p.data.stoppedAt) : null),
        valueFormatter: (p) => formatDuration(p.value),
      },
      {
        field: 'exitStatus',
        headerName: 'Exit',
        width: 64,
        cellStyle: (p) => (p.value ? { color: '#f85149', fontWeight: 600 } : null),
      },
      { field: 'maxRssMb', headerName: 'Max RSS', width: 90, valueFormatter: (p) => (p.value ? formatMb(p.value) : '') },
    ],
    [onOpen],
  );
  return (
    <SavedGrid<FrameRow>
      grid="frames"
      testId="frames-grid"
      rowId={(f) => String(f.id)}
      rowData={rows}
      columnDefs={columns}
      defaultColDef={{ sortable: true, resizable: true }}
      rowSelection={{ mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: false }}
      asyncTransactionWaitMillis={100}
      onGridReady={(e) => onReady(e.api)}
      onSelectionChanged={(e) => onSelect(e.api.getSelectedRows().map((r) => r.id))}
      onRowClicked={(e) => e.data && onOpen(e.data.id)}
    />
  );
});
