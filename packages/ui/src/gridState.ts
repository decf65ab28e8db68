/**
 * What of a grid's state is a person's *view* of it — column order, widths, hidden and pinned
 * columns, sort, filters and grouping — as opposed to selection, scroll and focus, which belong
 * to the moment. The page decides where a view is kept (the web keeps it per user in the
 * database); this module only cuts the state down to the view.
 */
import type { GridState } from 'ag-grid-community';

const KEPT: (keyof GridState)[] = ['columnOrder', 'columnSizing', 'columnVisibility', 'columnPinning', 'sort', 'filter', 'rowGroup'];

export function viewOf(state: GridState): GridState {
  const out: GridState = {};
  for (const k of KEPT) if (state[k] !== undefined) (out as Record<string, unknown>)[k] = state[k];
  return out;
}
