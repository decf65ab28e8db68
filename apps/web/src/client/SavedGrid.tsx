'use client';
/**
 * A grid whose arrangement (columns, sort, filters, grouping) is kept per user in the
 * database (`views.grid` / `views.saveGrid`): it waits for the saved view — a small read that
 * runs beside the page's data — so the grid is created with it, then saves each change.
 * A view that cannot be read leaves the grid on its defaults rather than blocking it.
 */
import type { GridId } from '@farmhand/contracts';
import { FarmGrid, type FarmGridProps } from '@farmhand/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { GridState } from 'ag-grid-community';
import { useCallback } from 'react';
import { useFarm } from './farmContext';
import { useTRPCClient } from './trpc';

export function useGridView(grid: GridId): {
  ready: boolean;
  user: string;
  initialView: GridState | undefined;
  save: (view: GridState) => void;
} {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { user } = useFarm();
  // The user is part of the key: the top bar's user can change without a reload.
  const key = ['gridView', user, grid];
  const query = useQuery({
    queryKey: key,
    // Unbatched: the grid waits for it (see Providers' links).
    queryFn: async () => (await client.views.grid.query({ grid }, { context: { skipBatch: true } })).view as GridState | null,
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
  const mutation = useMutation({
    mutationFn: (view: GridState) => client.views.saveGrid.mutate({ grid, view: view as Record<string, Record<string, unknown>> }),
  });
  const save = useCallback(
    (view: GridState) => {
      queryClient.setQueryData(['gridView', user, grid], view);
      mutation.mutate(view);
    },
    [queryClient, user, grid, mutation.mutate],
  );
  return { ready: !query.isPending, user, initialView: query.data ?? undefined, save };
}

export function SavedGrid<T>({ grid, ...props }: FarmGridProps<T> & { grid: GridId }) {
  const view = useGridView(grid);
  if (!view.ready) return <div className="muted" style={{ padding: 8 }} aria-busy="true" />;
  return <FarmGrid<T> key={`${view.user}:${grid}`} {...props} initialView={view.initialView} onViewChange={view.save} />;
}
