'use client';
/**
 * React access to the live connection: `useLiveRoom(room, listener)` joins a room while a
 * component shows it and hands pushes to the listener; `useLiveStatus()` for the header.
 */
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { currentUser, useFarm } from './farmContext';
import { LiveConnection, type LiveListener, type LiveStatus } from './liveConnection';

const LiveContext = createContext<LiveConnection | null>(null);

export function LiveProvider({ dispatcherPort, children }: { dispatcherPort: number; children: ReactNode }) {
  const { user, defaultUser } = useFarm();
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  useEffect(() => {
    const url = `${window.location.protocol}//${window.location.hostname}:${dispatcherPort}`;
    const live = new LiveConnection(url, () => currentUser(defaultUser));
    setConnection(live);
    return () => live.close();
  }, [dispatcherPort, defaultUser]);
  // A name chosen in local mode needs a ticket in that name (the user's own room).
  useEffect(() => {
    if (user) connection?.userChanged();
  }, [connection, user]);
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

export function useLiveConnection(): LiveConnection | null {
  return useContext(LiveContext);
}

/** How long a page waits for its room before reading its data anyway (the dispatcher may be down). */
const JOIN_WAIT_MS = 400;

export interface RoomListener extends Omit<LiveListener, 'joined' | 'status'> {
  /**
   * The room was joined after the page may have read its data (a slow join, a reconnect):
   * pushes in between were missed, so read the data again.
   */
  resync?: () => void;
}

/**
 * Joins `room` (null: none) while mounted and hands pushes to the listener (which may change
 * between renders without re-joining). Returns `ready`: true once the room is joined, or after
 * a short wait without it. Read data when ready, so nothing pushed between the read and the
 * join is lost; later joins call `resync`.
 */
export function useLiveRoom(room: string | null, listener: RoomListener): boolean {
  const live = useLiveConnection();
  const latest = useRef(listener);
  latest.current = listener;
  const [ready, setReady] = useState(false);
  const readyRef = useRef(false);
  useEffect(() => {
    readyRef.current = false;
    setReady(false);
    const becomeReady = () => {
      readyRef.current = true;
      setReady(true);
    };
    // No connection object yet: the provider creates it right after this first render.
    if (!live) return;
    const timer = setTimeout(becomeReady, JOIN_WAIT_MS);
    const off = live.listen({
      frames: (jobId, frames) => latest.current.frames?.(jobId, frames),
      jobs: (jobs) => latest.current.jobs?.(jobs),
      hosts: (hosts) => latest.current.hosts?.(hosts),
      log: (chunks) => latest.current.log?.(chunks),
      notifications: (push) => latest.current.notifications?.(push),
      joined: (joinedRoom) => {
        if (joinedRoom !== room) return;
        if (readyRef.current) latest.current.resync?.();
        else {
          clearTimeout(timer);
          becomeReady();
        }
      },
    });
    if (room) void live.join(room);
    return () => {
      clearTimeout(timer);
      off();
      if (room) live.leave(room);
    };
  }, [live, room]);
  return ready;
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
