'use client';
/**
 * The AG Grid wrapper every page uses: registers the grid modules once, applies the
 * dark theme, and keeps row identity stable (`getRowId`) so live deltas update rows in place.
 */
import {
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  type GetRowIdParams,
  ModuleRegistry,
  NumberFilterModule,
  RowSelectionModule,
  RowStyleModule,
  TextFilterModule,
  ValidationModule,
} from 'ag-grid-community';
import { AgGridReact, type AgGridReactProps } from 'ag-grid-react';
import type { Ref } from 'react';
import { farmGridTheme } from './gridTheme';

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
  ...(process.env.NODE_ENV === 'production' ? [] : [ValidationModule]),
]);

export interface FarmGridProps<T> extends Omit<AgGridReactProps<T>, 'getRowId' | 'theme'> {
  /** The row's stable id (job id, frame id, host id). */
  rowId: (row: T) => string;
  gridRef?: Ref<AgGridReact<T>>;
  height?: number | string;
  testId?: string;
}

export function FarmGrid<T>({ rowId, gridRef, height = '100%', testId, ...props }: FarmGridProps<T>) {
  return (
    <div data-testid={testId} style={{ height, width: '100%' }}>
      <AgGridReact<T>
        ref={gridRef}
        theme={farmGridTheme}
        getRowId={(p: GetRowIdParams<T>) => rowId(p.data)}
        animateRows={false}
        suppressCellFocus
        {...props}
      />
    </div>
  );
}
