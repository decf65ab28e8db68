'use client';
/**
 * The AG Grid wrapper every page uses: registers the grid modules once, applies the
 * theme, keeps row identity stable (`getRowId`) so live deltas update rows in place, starts
 * from the person's saved view (`initialView`) and reports changes of it (`onViewChange`,
 * debounced, cut down to columns, sort, filters and grouping) for the page to keep.
 */
import {
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  DragAndDropModule,
  type GetRowIdParams,
  type GridState,
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
import { type Ref, useCallback, useEffect, useMemo, useRef } from 'react';
import { viewOf } from './gridState';
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
  /** The person's saved view of this grid, applied when the grid is created. */
  initialView?: GridState;
  /** Called (debounced) with the view whenever the person changes columns, sort or filters. */
  onViewChange?: (view: GridState) => void;
}

const SAVE_AFTER_MS = 300;

/** The sources of sort, column and filter events a person causes, as opposed to the grid or the page. */
const PERSON_SOURCES = new Set<string>([
  'columnFilter',
  'uiColumnSorted',
  'uiColumnMoved',
  'uiColumnResized',
  'uiColumnDragged',
  'uiColumnHeaderEdit',
  'toolPanelUi',
  'toolPanelDragAndDrop',
  'contextMenu',
  'columnMenu',
]);

export function FarmGrid<T>({
  rowId,
  gridRef,
  height = '100%',
  testId,
  initialView,
  onViewChange,
  onStateUpdated,
  onSortChanged,
  onFilterChanged,
  onColumnMoved,
  onColumnResized,
  onColumnVisible,
  onColumnPinned,
  ...props
}: FarmGridProps<T>) {
  const theme = useFarmGridTheme();
  const saveView = useRef(onViewChange);
  saveView.current = onViewChange;
  /** The view last reported (or given): AG Grid also fires for changes that are not the view's. */
  const lastView = useRef(JSON.stringify(viewOf(initialView ?? {})));
  const latest = useRef<GridState | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /**
   * A person changed the view since the last state event. AG Grid holds its state events back while
   * it applies the initial state (up to the first rows rendered) and then reports everything as
   * `gridInitializing`, including a sort clicked in that window; its column and filter events still
   * say who caused them, so such a change is saved rather than taken for the view given.
   */
  const personChanged = useRef(false);
  // Made once per set of the page's own handlers, not per render: a grid fed live rows renders often.
  const noticed = useMemo(() => {
    const noticing =
      <E extends { source?: string }>(handler?: (e: E) => void) =>
      (e: E) => {
        if (e.source && PERSON_SOURCES.has(e.source)) personChanged.current = true;
        handler?.(e);
      };
    return {
      onSortChanged: noticing(onSortChanged),
      onFilterChanged: noticing(onFilterChanged),
      onColumnMoved: noticing(onColumnMoved),
      onColumnResized: noticing(onColumnResized),
      onColumnVisible: noticing(onColumnVisible),
      onColumnPinned: noticing(onColumnPinned),
    };
  }, [onSortChanged, onFilterChanged, onColumnMoved, onColumnResized, onColumnVisible, onColumnPinned]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const onState = useCallback(
    (e: StateUpdatedEvent<T>) => {
      onStateUpdated?.(e);
      if (!saveView.current) return;
      // The grid's own first state (defaults plus the saved view) is what was given, not a change —
      // unless a person's change is in it or waits to be saved (the grid reports its start in several steps).
      if (e.sources.includes('gridInitializing') && !personChanged.current && !timer.current) {
        lastView.current = JSON.stringify(viewOf(e.state));
        return;
      }
      // Saved at most SAVE_AFTER_MS after a change, with the latest state by then. Not restarted by
      // each event: a grid fed live rows reports state often, and a restarted timer would never fire.
      personChanged.current = false;
      latest.current = e.state;
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        const view = viewOf(latest.current ?? {});
        const text = JSON.stringify(view);
        if (text === lastView.current) return;
        lastView.current = text;
        saveView.current?.(view);
      }, SAVE_AFTER_MS);
    },
    [onStateUpdated],
  );
  return (
    <div data-testid={testId} style={{ height, width: '100%' }}>
      <AgGridReact<T>
        ref={gridRef}
        theme={theme}
        getRowId={(p: GetRowIdParams<T>) => rowId(p.data)}
        animateRows={false}
        suppressCellFocus
        initialState={initialView}
        onStateUpdated={onState}
        {...noticed}
        {...props}
      />
    </div>
  );
}
