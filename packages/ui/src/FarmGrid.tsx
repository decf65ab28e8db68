'use client';
/**
 * The AG Grid wrapper every page uses: registers the community modules once, applies the
 * dark theme, and keeps row identity stable (`getRowId`) so live deltas update rows in place.
 */
import { AllCommunityModule, type GetRowIdParams, ModuleRegistry } from 'ag-grid-community';
import { AgGridReact, type AgGridReactProps } from 'ag-grid-react';
import type { Ref } from 'react';
import { farmGridTheme } from './gridTheme';

ModuleRegistry.registerModules([AllCommunityModule]);

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
