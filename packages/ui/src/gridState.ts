/**
 * Remembering how a person arranged a grid — column order, widths, hidden columns, sort and
 * filters — in the browser's localStorage, under a key the page chooses (per user and grid).
 * Selection, scroll and focus are left out: they belong to the moment, not to the view.
 */
import type { GridState } from 'ag-grid-community';

const KEPT: (keyof GridState)[] = ['columnOrder', 'columnSizing', 'columnVisibility', 'columnPinning', 'sort', 'filter'];

export function viewOf(state: GridState): GridState {
  const out: GridState = {};
  for (const k of KEPT) if (state[k] !== undefined) (out as Record<string, unknown>)[k] = state[k];
  return out;
}

export function loadGridState(key: string): GridState | undefined {
  if (typeof window === 'undefined') return undefined;
  try {
    const raw = window.localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as GridState) : undefined;
  } catch {
    // A view saved by an older version that no longer parses: start from the defaults.
    return undefined;
  }
}

export function saveGridState(key: string, state: GridState): void {
  if (typeof window === 'undefined') return;
  window.localStorage.setItem(key, JSON.stringify(viewOf(state)));
}

export function clearGridState(key: string): void {
  if (typeof window !== 'undefined') window.localStorage.removeItem(key);
}
