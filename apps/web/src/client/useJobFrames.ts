'use client';
/**
 * One job's frames as every view of them holds them (the job page, frame grid panels of
 * composed pages): joins the live room `job:<id>` *before* reading, builds a FrameStore from
 * each read plus the deltas that arrived during it, and hands later frame deltas to the grid as
 * row transactions (`applyTransactionAsync`) — so 100,000 frames stay smooth and no update is
 * lost between the read and the join. Job deltas are kept with the time they arrived, so a
 * later read supersedes them.
 */
import { type FrameDelta, type JobDelta, liveRoom } from '@farmhand/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { GridApi } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { unpackFrames } from '../server/services/framePack';
import type { FrameRow, JobDetail } from '../server/services/jobs';
import { FrameStore } from './frameStore';
import { useLiveRoom } from './live';
import { ReadDeltas, readWithDeltas } from './readDeltas';
import { useTRPC, useTRPCClient } from './trpc';

/** The job's latest live state, and when it arrived: a later read of the job supersedes it. */
export type JobLive = Pick<JobDelta, 'state' | 'paused' | 'priority'> & { at: number };

const EMPTY_STORE = new FrameStore([]);

declare global {
  interface Window {
    /** Frame deltas applied to a grid since the page loaded (read by bench:ui). */
    __farmhandFrameDeltas?: number;
  }
}

export function useJobFrames(id: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const grid = useRef<GridApi<FrameRow> | null>(null);
  /** The frames of each read, built from it plus the deltas that arrived during it. */
  const stores = useRef(new WeakMap<JobDetail, FrameStore>()).current;
  /** When each read started: a job delta that arrived after it is newer than what it saw. */
  const readStarts = useRef(new WeakMap<JobDetail, number>()).current;
  /** Frame deltas that arrive while the job is being read: applied on top of each read. */
  const early = useRef(new ReadDeltas<FrameDelta>()).current;
  const queryClient = useQueryClient();
  const key = trpc.jobs.get.queryKey({ id });
  const [liveJob, setLiveJob] = useState<JobLive | null>(null);
  const [, setTick] = useState(0);
  const tickFrame = useRef<number | null>(null);

  // Counts and figures re-render at most once per animation frame, however fast deltas come.
  const rerender = useCallback(() => {
    if (tickFrame.current !== null) return;
    tickFrame.current = requestAnimationFrame(() => {
      tickFrame.current = null;
      setTick((t) => t + 1);
    });
  }, []);
  useEffect(
    () => () => {
      if (tickFrame.current !== null) cancelAnimationFrame(tickFrame.current);
    },
    [],
  );

  const ready = useLiveRoom(liveRoom.job(id), {
    frames: (_jobId, deltas: FrameDelta[]) => {
      const mine = deltas.filter((d) => d.jobId === id);
      early.push(mine);
      const shown = queryClient.getQueryData(key);
      const store = shown && stores.get(shown);
      if (!store) return;
      const { updated, unknown } = store.apply(mine);
      if (updated.length > 0) {
        grid.current?.applyTransactionAsync({ update: updated });
        window.__farmhandFrameDeltas = (window.__farmhandFrameDeltas ?? 0) + updated.length;
        rerender();
      }
      if (unknown > 0) void query.refetch();
    },
    jobs: (deltas: JobDelta[]) => {
      const mine = deltas.filter((d) => d.id === id).at(-1);
      if (mine) setLiveJob({ state: mine.state, paused: mine.paused, priority: mine.priority, at: Date.now() });
    },
    resync: () => void query.refetch(),
  });
  const query = useQuery({
    queryKey: key,
    enabled: ready,
    queryFn: async () => {
      const startedAt = Date.now();
      // Synchronous after the read: no delta can slip between the read and the store built from it.
      return readWithDeltas(
        early,
        async (): Promise<JobDetail> => {
          // Packed by column: a fifth of the JSON for a big job (server/services/framePack.ts).
          const { frames, ...detail } = await client.jobs.getPacked.query({ id }, { context: { skipBatch: true } });
          return { ...detail, frames: unpackFrames(frames) };
        },
        (detail, deltas) => {
          const fresh = new FrameStore(detail.frames);
          fresh.apply(deltas);
          stores.set(detail, fresh);
          readStarts.set(detail, startedAt);
          return detail;
        },
      );
    },
  });
  const data = query.data;
  // Data from the cache (a page visited again) was not read by this page: build its store now.
  if (data && !stores.has(data)) stores.set(data, new FrameStore(data.frames));
  const store = (data && stores.get(data)) || EMPTY_STORE;
  // The grid's rows as of the read (plus early deltas); later deltas reach it as transactions.
  const rowsVersion = useRef(0);
  const rows = useMemo(() => {
    rowsVersion.current = store.version;
    return data ? store.rows() : [];
  }, [data, store]);

  const storeRef = useRef(store);
  storeRef.current = store;
  const onReady = useCallback((api: GridApi<FrameRow>) => {
    grid.current = api;
    // Deltas that arrived between the read and the grid being ready changed the store but
    // reached no grid: start the grid from the store as it is now, not from the first render.
    // Only then: giving 100,000 rows again costs the grid a few hundred milliseconds.
    if (storeRef.current.version !== rowsVersion.current) api.setGridOption('rowData', storeRef.current.rows());
  }, []);

  /** The job's live fields newer than the read shown (empty when the read is newer). */
  const live =
    data && liveJob && liveJob.at >= (readStarts.get(data) ?? 0)
      ? { state: liveJob.state, paused: liveJob.paused, priority: liveJob.priority }
      : {};
  return { query, data, store, rows, onReady, live };
}
