'use client';
/**
 * The AG Grid wrapper every page uses: registers the grid modules once, applies the
 * theme, keeps row identity stable (`getRowId`) so live deltas update rows in place, and —
 * given a `stateKey` — remembers the person's columns, sort and filters across visits.
 */
import {
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  DragAndDropModule,
  type GetRowIdParams,
  GridStateModule,
  ModuleRegistry,
  NumberFilterModule,
  QuickFilterModule,
  RowSelectionModule,
  RowStyleModule,
  type StateUpdatedEvent,
  TextFilterModule,
  ValidationModule,
} from 'ag-grid-community';
import { AgGridReact, type AgGridReactProps } from 'ag-grid-react';
import { type Ref, useCallback, useEffect, useRef, useState } from 'react';
import { loadGridState, saveGridState } from './gridState';
import { useFarmGridTheme } from './theme';

// Only the features our grids use: AllCommunityModule would triple the page's JavaScript.
// A grid that needs more passes `modules`. ValidationModule explains misuse in development.
ModuleRegistry.registerModules([
  ClientSideRowModelModule,
  ClientSideRowModelApiModule,
  RowSelectionModule,
  CellStyleModule,
  RowStyleModule,
  TextFilterModule,
  NumberFilterModule,
  QuickFilterModule,
  GridStateModule,
  ColumnApiModule,
  DragAndDropModule,
  ...(process.env.NODE_ENV === 'production' ? [] : [ValidationModule]),
]);

export interface FarmGridProps<T> extends Omit<AgGridReactProps<T>, 'getRowId' | 'theme'> {
  /** The row's stable id (job id, frame id, host id). */
  rowId: (row: T) => string;
  gridRef?: Ref<AgGridReact<T>>;
  height?: number | string;
  testId?: string;
  /** Where the person's arrangement of this grid is kept (localStorage key); none: not kept. */
  stateKey?: string;
}

const SAVE_AFTER_MS = 300;

export function FarmGrid<T>({ rowId, gridRef, height = '100%', testId, stateKey, onStateUpdated, ...props }: FarmGridProps<T>) {
  const theme = useFarmGridTheme();
  const [initialState] = useState(() => (stateKey ? loadGridState(stateKey) : undefined));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const onState = useCallback(
    (e: StateUpdatedEvent<T>) => {
      onStateUpdated?.(e);
      if (!stateKey) return;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => saveGridState(stateKey, e.state), SAVE_AFTER_MS);
    },
    [stateKey, onStateUpdated],
  );
  return (
    <div data-testid={testId} style={{ height, width: '100%' }}>
      <AgGridReact<T>
        ref={gridRef}
        theme={theme}
        getRowId={(p: GetRowIdParams<T>) => rowId(p.data)}
        animateRows={false}
        suppressCellFocus
        initialState={initialState}
        onStateUpdated={onState}
        {...props}
      />
    </div>
  );
}
