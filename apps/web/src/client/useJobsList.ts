'use client';
/**
 * The jobs list (everyone's, or one user's or show's) kept current by live job deltas from
 * the `farm` room — no polling. The list is read once the room is joined; deltas that arrive
 * during a read are applied on top of it; a delta for a job the list does not hold (a new
 * submission) reads the list again once.
 */
import type { JobDelta } from '@farmhand/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { mergeJobDeltas } from './jobsCache';
import { useLiveRoom } from './live';
import { ReadDeltas, readWithDeltas } from './readDeltas';
import { useTRPC, useTRPCClient } from './trpc';

export function useJobsList(input: { user?: string; show?: string }, onDeltas?: (deltas: JobDelta[]) => void) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const key = trpc.jobs.list.queryKey(input);
  /** Jobs the list does not hold although it was read after their first delta (filtered out, or past the limit). */
  const hidden = useRef(new Set<string>());
  /** Unknown jobs and when their first delta came: read again only for jobs newer than the last read. */
  const unknownSince = useRef(new Map<string, number>());
  const early = useRef(new ReadDeltas<JobDelta>()).current;
  const readStartedAt = useRef(0);

  const ready = useLiveRoom('farm', {
    jobs: (deltas: JobDelta[]) => {
      early.push(deltas);
      onDeltas?.(deltas);
      const current = queryClient.getQueryData(key);
      if (!current) return;
      const { rows, unknown } = mergeJobDeltas(current, deltas);
      queryClient.setQueryData(key, rows);
      const now = Date.now();
      for (const id of unknown) if (!hidden.current.has(id) && !unknownSince.current.has(id)) unknownSince.current.set(id, now);
      const newer = [...unknownSince.current.values()].some((since) => since >= readStartedAt.current);
      if (newer && !queryClient.isFetching({ queryKey: key })) void queryClient.refetchQueries({ queryKey: key });
    },
    resync: () => void queryClient.invalidateQueries(trpc.jobs.list.pathFilter()),
  });
  return useQuery({
    queryKey: key,
    enabled: ready,
    queryFn: async () => {
      const startedAt = Date.now();
      readStartedAt.current = startedAt;
      // Synchronous after the read: no delta slips between the read and the deltas applied to it.
      const rows = await readWithDeltas(
        early,
        () => client.jobs.list.query(input),
        (read, deltas) => mergeJobDeltas(read, deltas).rows,
      );
      const listed = new Set(rows.map((j) => j.id));
      for (const [id, since] of unknownSince.current) {
        if (listed.has(id)) unknownSince.current.delete(id);
        else if (since < startedAt) {
          hidden.current.add(id);
          unknownSince.current.delete(id);
        }
      }
      return rows;
    },
  });
}
