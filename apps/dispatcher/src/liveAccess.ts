/**
 * Who may watch what on `/live`. A browser presents the short-lived ticket the web signed for
 * it (`auth.liveTicket`: its user and the shows it may read) in the socket.io handshake
 * (`auth: { ticket }`). When sign-in is required (FARMHAND_AUTH=required or the web not on
 * loopback) a socket without a valid ticket is refused at connect; in local mode a socket
 * without one watches everything, as before accounts. A socket with a ticket may join the
 * host rooms (shared by every show), its own notifications room, and a job's or a frame log's
 * room only when the job is in one of its shows or is its user's own. Joining `farm` with a ticket
 * for some shows only puts the socket in rooms of its own (live.ts): host rows, and job rows of its
 * shows and of its own jobs, never the other shows' jobs.
 */
import type { LiveTicket } from '@farmhand/contracts';
import { verifyLiveTicket } from '@farmhand/contracts/live-ticket';
import type { Database } from '@farmhand/db';
import type { Farm } from './farm/model';

export interface LiveAccess {
  /** Refuse sockets without a valid ticket. */
  required: boolean;
  /** Checks a ticket: the ticket when valid and unexpired, else null. */
  verify(ticket: unknown): LiveTicket | null;
  /** Whether the ticket's holder may join the room. */
  mayJoin(ticket: LiveTicket, room: string): Promise<boolean>;
  /** A job in memory's show and user (for the farm room of readers of some shows only). */
  ownerNow(jobId: string): JobOwner;
}

export type JobOwner = { showId: string; user: string } | null;

export function liveAccess(options: { required: boolean; secret: () => string; farm: Farm; database: Database }): LiveAccess {
  const { farm, database } = options;
  async function jobOwner(jobId: string): Promise<JobOwner> {
    const mem = farm.jobs.get(jobId);
    if (mem) return { showId: mem.showId, user: mem.user };
    return database.prisma.job.findUnique({ where: { id: jobId }, select: { showId: true, user: true } });
  }
  async function frameJob(frameId: number): Promise<string | null> {
    const mem = farm.frames.get(frameId);
    if (mem) return mem.jobId;
    return (await database.prisma.frame.findUnique({ where: { id: frameId }, select: { jobId: true } }))?.jobId ?? null;
  }
  return {
    required: options.required,
    verify: (ticket) => verifyLiveTicket(ticket, options.secret(), Date.now()),
    ownerNow(jobId) {
      const mem = farm.jobs.get(jobId);
      return mem ? { showId: mem.showId, user: mem.user } : null;
    },
    async mayJoin(ticket, room) {
      if (room === 'farm' || room.startsWith('host:')) return true;
      // Notifications: one's own only.
      if (room.startsWith('user:')) return room === `user:${ticket.user}`;
      let jobId: string | null = null;
      if (room.startsWith('job:')) jobId = room.slice(4);
      else if (room.startsWith('log:')) jobId = await frameJob(Number(room.split(':')[1]));
      if (!jobId) return false;
      const owner = await jobOwner(jobId);
      if (!owner) return false;
      return ticket.shows === 'all' || ticket.shows.includes(owner.showId) || owner.user === ticket.user;
    },
  };
}
