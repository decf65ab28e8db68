/**
 * Live fan-out to browsers on the `/live` namespace. Browsers join rooms (farm, job, host,
 * frame log); changes are coalesced per room and flushed at most 10 times a second, as row
 * deltas. Log chunks go out as they arrive (rqd already batches them).
 */
import {
  type FrameDelta,
  type HostDelta,
  type JobDelta,
  joinRoomSchema,
  LIVE_EVENTS,
  LIVE_NAMESPACE,
  type LiveTicket,
  type LogChunk,
  liveRoom,
  type NotificationsPush,
} from '@farmhand/contracts';
import type { Namespace, Server } from 'socket.io';
import type { LiveAccess } from './liveAccess';

const FLUSH_MS = 100;

/** The farm as a reader of some shows only sees it: rooms no client can name (joinRoomSchema refuses them). */
const LIMITED_FARM = 'farm@hosts';
const farmShowRoom = (showId: string) => `farm@show:${showId}`;
const farmUserRoom = (user: string) => `farm@user:${user}`;
const limitedFarmRooms = (t: LiveTicket) => (t.shows === 'all' ? [] : [LIMITED_FARM, ...t.shows.map(farmShowRoom), farmUserRoom(t.user)]);
/** The socket.io rooms behind a room a client names: `farm` for a reader of some shows is their limited rooms. */
function roomsOf(ticket: LiveTicket | undefined, room: string): string[] {
  const limited = ticket && room === liveRoom.farm() ? limitedFarmRooms(ticket) : [];
  return limited.length > 0 ? limited : [room];
}

export class LiveFanout {
  private readonly nsp: Namespace;
  private frames = new Map<string, Map<number, FrameDelta>>(); // jobId → frameId → delta
  private jobs = new Map<string, JobDelta>();
  private hosts = new Map<string, HostDelta>();
  private timer: NodeJS.Timeout | null = null;

  /** `access` absent: everyone watches everything (tests and tools that predate accounts). */
  constructor(
    io: Server,
    private readonly access?: LiveAccess,
  ) {
    this.nsp = io.of(LIVE_NAMESPACE);
    if (access)
      this.nsp.use((socket, next) => {
        const given: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.ticket;
        if (given === undefined || given === null || given === '') {
          if (access.required) next(new Error('sign in first: /live needs the ticket the web gives signed-in pages'));
          else next();
          return;
        }
        const ticket = access.verify(given);
        if (!ticket) {
          // In local mode everyone watches everything anyway: a stale ticket must not cut a page off.
          if (access.required) next(new Error('the live ticket is not valid or has expired: ask the web for a new one'));
          else next();
          return;
        }
        socket.data.ticket = ticket;
        next();
      });
    this.nsp.on('connection', (socket) => {
      socket.on(LIVE_EVENTS.join, async (msg: unknown, ack?: (r: unknown) => void) => {
        const parsed = joinRoomSchema.safeParse(msg);
        if (!parsed.success) {
          ack?.({ ok: false, error: 'room must be farm, job:<id>, host:<id> or log:<frame>:<attempt>' });
          return;
        }
        const ticket = socket.data.ticket as LiveTicket | undefined;
        if (ticket && access && !(await access.mayJoin(ticket, parsed.data.room).catch(() => false))) {
          ack?.({ ok: false, error: `${ticket.user} may not watch ${parsed.data.room}: it is not in a show they may read` });
          return;
        }
        void socket.join(roomsOf(ticket, parsed.data.room));
        ack?.({ ok: true });
      });
      socket.on(LIVE_EVENTS.leave, (msg: unknown) => {
        const parsed = joinRoomSchema.safeParse(msg);
        if (!parsed.success) return;
        for (const room of roomsOf(socket.data.ticket as LiveTicket | undefined, parsed.data.room)) void socket.leave(room);
      });
    });
  }

  /** Whether any browser watches the room: nothing is built or encoded for an empty one. */
  watched(room: string): boolean {
    return (this.nsp.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  frame(delta: FrameDelta): void {
    let byJob = this.frames.get(delta.jobId);
    if (!byJob) {
      byJob = new Map();
      this.frames.set(delta.jobId, byJob);
    }
    byJob.set(delta.id, delta);
    this.schedule();
  }

  job(delta: JobDelta): void {
    this.jobs.set(delta.id, delta);
    this.schedule();
  }

  host(delta: HostDelta): void {
    this.hosts.set(delta.id, delta);
    this.schedule();
  }

  log(chunk: LogChunk): void {
    const room = liveRoom.log(chunk.frameId, chunk.attempt);
    if (this.watched(room)) this.nsp.to(room).emit(LIVE_EVENTS.log, chunk);
  }

  watchedUser(user: string): boolean {
    return this.watched(liveRoom.user(user));
  }

  /** A user's notifications changed: sent at once (they are rare), to that user's room only. */
  notifications(user: string, push: NotificationsPush): void {
    this.nsp.to(liveRoom.user(user)).emit(LIVE_EVENTS.notifications, push);
  }

  private schedule(): void {
    if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    this.timer = null;
    for (const [jobId, frames] of this.frames) {
      const room = liveRoom.job(jobId);
      if (this.watched(room)) this.nsp.to(room).emit(LIVE_EVENTS.frames, { jobId, frames: [...frames.values()] });
    }
    this.frames.clear();
    const farmWatched = this.watched(liveRoom.farm());
    if (this.jobs.size > 0) {
      const jobs = [...this.jobs.values()];
      if (farmWatched) this.nsp.to(liveRoom.farm()).emit(LIVE_EVENTS.jobs, jobs);
      if (this.access && this.watched(LIMITED_FARM)) this.flushLimitedJobs(this.access, jobs);
      for (const j of jobs) if (this.watched(liveRoom.job(j.id))) this.nsp.to(liveRoom.job(j.id)).emit(LIVE_EVENTS.jobs, [j]);
      this.jobs.clear();
    }
    if (this.hosts.size > 0) {
      const rooms = [liveRoom.farm(), LIMITED_FARM].filter((r) => this.watched(r));
      if (rooms.length > 0) this.nsp.to(rooms).emit(LIVE_EVENTS.hosts, [...this.hosts.values()]);
      this.hosts.clear();
    }
  }

  /** Job rows to the farm rooms of readers of some shows: each show's jobs to its room, each user's jobs to theirs. */
  private flushLimitedJobs(access: LiveAccess, jobs: JobDelta[]): void {
    const byRoom = new Map<string, JobDelta[]>();
    for (const j of jobs) {
      const owner = access.ownerNow(j.id);
      if (!owner) continue;
      for (const room of [farmShowRoom(owner.showId), farmUserRoom(owner.user)]) {
        if (!this.watched(room)) continue;
        const list = byRoom.get(room) ?? [];
        list.push(j);
        byRoom.set(room, list);
      }
    }
    for (const [room, list] of byRoom) this.nsp.to(room).emit(LIVE_EVENTS.jobs, list);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
