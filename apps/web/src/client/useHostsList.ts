'use client';
/**
 * The hosts list kept current by live host deltas from the `farm` room: read once the room is
 * joined, deltas during the read applied on top, a host that just registered reads it again.
 */
import type { HostDelta } from '@farmhand/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { mergeHostDeltas } from './hostsCache';
import { useLiveRoom } from './live';
import { ReadDeltas, readWithDeltas } from './readDeltas';
import { useTRPC, useTRPCClient } from './trpc';

export function useHostsList() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const key = trpc.hosts.list.queryKey();
  const early = useRef(new ReadDeltas<HostDelta>()).current;
  const ready = useLiveRoom('farm', {
    hosts: (deltas: HostDelta[]) => {
      early.push(deltas);
      const current = queryClient.getQueryData(key);
      if (!current) return;
      const { rows, unknown } = mergeHostDeltas(current, deltas);
      queryClient.setQueryData(key, rows);
      if (unknown.length > 0 && !queryClient.isFetching({ queryKey: key })) void queryClient.refetchQueries({ queryKey: key });
    },
    resync: () => void queryClient.invalidateQueries(trpc.hosts.list.pathFilter()),
  });
  return useQuery({
    queryKey: key,
    enabled: ready,
    queryFn: () =>
      readWithDeltas(
        early,
        () => client.hosts.list.query(),
        (read, deltas) => mergeHostDeltas(read, deltas).rows,
      ),
  });
}
