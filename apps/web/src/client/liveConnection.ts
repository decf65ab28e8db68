/**
 * The browser's one socket.io connection to the dispatcher's `/live` namespace: rooms joined
 * by reference count (two panels watching one job join it once), re-joined after a
 * reconnect, and every push handed to the listeners as arrays of deltas.
 */
import {
  type FrameDelta,
  type HostDelta,
  type JobDelta,
  LIVE_EVENTS,
  LIVE_NAMESPACE,
  type LiveFrames,
  type LogChunk,
  type NotificationsPush,
} from '@farmhand/contracts';
import { io, type Socket } from 'socket.io-client';

export type LiveStatus = 'connecting' | 'live' | 'offline';

export interface LiveListener {
  frames?: (jobId: string | null, frames: FrameDelta[]) => void;
  jobs?: (jobs: JobDelta[]) => void;
  hosts?: (hosts: HostDelta[]) => void;
  log?: (chunks: LogChunk[]) => void;
  /** The user's notifications changed (room `user:<name>`): the unread count and the latest. */
  notifications?: (push: NotificationsPush) => void;
  /** The dispatcher acknowledged joining `room` (again after each reconnect): pushes flow from here on. */
  joined?: (room: string) => void;
  status?: (status: LiveStatus) => void;
}

/** Accepts one item, an array, or `{ [key]: array }`: the dispatcher batches pushes. */
function items<T>(payload: unknown, key: string): T[] {
  if (Array.isArray(payload)) return payload as T[];
  if (payload && typeof payload === 'object') {
    const inner = (payload as Record<string, unknown>)[key];
    if (Array.isArray(inner)) return inner as T[];
    return [payload as T];
  }
  return [];
}

const JOIN_ACK_TIMEOUT_MS = 2_000;

export class LiveConnection {
  private readonly socket: Socket;
  private readonly rooms = new Map<string, number>();
  private readonly listeners = new Set<LiveListener>();
  status: LiveStatus = 'connecting';
  private closed = false;
  /** The local-mode user name the current ticket was asked for (see userChanged). */
  private ticketUser: string | undefined;

  /** `localUser`: the name chosen in local mode, sent as the tRPC link sends it (signed in, the session decides). */
  constructor(
    baseUrl: string,
    private readonly localUser: () => string,
  ) {
    this.socket = io(`${baseUrl}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      reconnectionDelayMax: 5_000,
      // A fresh ticket from the web on every (re)connect: the dispatcher lets a socket join only
      // rooms of shows its user may read, and a user's own room (the bell) only as that user.
      auth: (cb) => {
        this.ticketUser = this.localUser();
        fetch('/api/trpc/auth.liveTicket', { credentials: 'same-origin', headers: { 'x-farmhand-user': this.ticketUser } })
          .then((r) => r.json() as Promise<{ result?: { data?: { ticket?: string | null } } }>)
          .then((j) => cb({ ticket: j.result?.data?.ticket ?? null }))
          .catch(() => cb({ ticket: null }));
      },
    });
    this.socket.on('connect', () => {
      for (const room of this.rooms.keys()) void this.emitJoin(room);
      this.setStatus('live');
    });
    this.socket.on('disconnect', () => this.setStatus('offline'));
    this.socket.on('connect_error', () => {
      this.setStatus('offline');
      // Refused by the dispatcher (no ticket yet, or an expired one): socket.io does not retry
      // those by itself. Try again with a fresh ticket, e.g. once the user has signed in.
      if (!this.socket.active)
        setTimeout(() => {
          if (!this.closed && !this.socket.active) this.socket.connect();
        }, 3_000);
    });
    this.socket.on(LIVE_EVENTS.frames, (payload: LiveFrames | FrameDelta[]) => {
      const jobId = !Array.isArray(payload) && payload && typeof payload === 'object' && 'jobId' in payload ? payload.jobId : null;
      const frames = items<FrameDelta>(payload, 'frames');
      this.each((l) => l.frames?.(jobId, frames));
    });
    this.socket.on(LIVE_EVENTS.jobs, (payload: unknown) => {
      const jobs = items<JobDelta>(payload, 'jobs');
      this.each((l) => l.jobs?.(jobs));
    });
    this.socket.on(LIVE_EVENTS.hosts, (payload: unknown) => {
      const hosts = items<HostDelta>(payload, 'hosts');
      this.each((l) => l.hosts?.(hosts));
    });
    this.socket.on(LIVE_EVENTS.notifications, (push: NotificationsPush) => this.each((l) => l.notifications?.(push)));
    this.socket.on(LIVE_EVENTS.log, (payload: unknown) => {
      const chunks = items<LogChunk>(payload, 'chunks');
      this.each((l) => l.log?.(chunks));
    });
  }

  /**
   * Joins a room; resolves once the dispatcher acknowledged it (or after a short wait if it
   * does not), or at once when not connected: the room is joined when the connection comes.
   */
  join(room: string): Promise<void> {
    const count = this.rooms.get(room) ?? 0;
    this.rooms.set(room, count + 1);
    if (count > 0 || !this.socket.connected) return Promise.resolve();
    return this.emitJoin(room);
  }

  leave(room: string): void {
    const count = this.rooms.get(room) ?? 0;
    if (count > 1) {
      this.rooms.set(room, count - 1);
      return;
    }
    this.rooms.delete(room);
    if (this.socket.connected) this.socket.emit(LIVE_EVENTS.leave, { room });
  }

  /**
   * The name chosen in local mode changed: reconnect with a ticket in the new name, or the
   * dispatcher refuses the new user's own room and their bell never rings live. Rooms are joined
   * again on connect, and their listeners told (`joined`), so pages read what they missed.
   */
  userChanged(): void {
    if (this.ticketUser === undefined || this.ticketUser === this.localUser()) return;
    this.socket.disconnect();
    this.socket.connect();
  }

  listen(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }

  private emitJoin(room: string): Promise<void> {
    return new Promise((resolve) => {
      this.socket.timeout(JOIN_ACK_TIMEOUT_MS).emit(LIVE_EVENTS.join, { room }, () => {
        this.each((l) => l.joined?.(room));
        resolve();
      });
    });
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    this.each((l) => l.status?.(status));
  }

  private each(fn: (l: LiveListener) => void): void {
    for (const l of this.listeners) fn(l);
  }
}
