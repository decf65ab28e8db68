'use client';
/**
 * React access to the live connection: `useLiveRoom(room, listener)` joins a room while a
 * component shows it and hands pushes to the listener; `useLiveStatus()` for the header.
 */
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { LiveConnection, type LiveListener, type LiveStatus } from './liveConnection';

const LiveContext = createContext<LiveConnection | null>(null);

export function LiveProvider({ dispatcherPort, children }: { dispatcherPort: number; children: ReactNode }) {
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  useEffect(() => {
    const live = new LiveConnection(`${window.location.protocol}//${window.location.hostname}:${dispatcherPort}`);
    setConnection(live);
    return () => live.close();
  }, [dispatcherPort]);
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

export function useLiveConnection(): LiveConnection | null {
  return useContext(LiveContext);
}

/** Joins `room` (null: none) while mounted; the listener may change between renders without re-joining. */
export function useLiveRoom(room: string | null, listener: LiveListener): void {
  const live = useLiveConnection();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    if (!live) return;
    const off = live.listen({
      frames: (jobId, frames) => latest.current.frames?.(jobId, frames),
      jobs: (jobs) => latest.current.jobs?.(jobs),
      hosts: (hosts) => latest.current.hosts?.(hosts),
      log: (chunks) => latest.current.log?.(chunks),
      reconnected: () => latest.current.reconnected?.(),
    });
    if (room) void live.join(room);
    return () => {
      off();
      if (room) live.leave(room);
    };
  }, [live, room]);
}

export function useLiveStatus(): LiveStatus {
  const live = useLiveConnection();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    if (!live) return;
    setStatus(live.status);
    return live.listen({ status: setStatus });
  }, [live]);
  return status;
}
