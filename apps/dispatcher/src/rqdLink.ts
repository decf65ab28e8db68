/**
 * The dispatcher's side of the rqd protocol (namespace /rqd): authenticates hosts by their
 * shared token, registers them, and turns their messages into transitions. Every message is
 * validated first; a malformed one is answered with an error and logged, and changes nothing.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  type Ack,
  frameExitedSchema,
  frameStartedSchema,
  hostRegisterSchema,
  hostReportSchema,
  type LogChunk,
  logChunkSchema,
  RQD_EVENTS,
  RQD_NAMESPACE,
  rqdAuthSchema,
} from '@farmhand/contracts';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { corkPerTick } from './corkPerTick';
import type { Dispatcher } from './dispatcher';
import type { MemHost } from './farm/model';
import { frameExited, frameStarted } from './frameEvents';
import { reconcileRunning } from './hostWatch';
import { noticeCommits } from './persist/writer';

/** Reports are kept in memory; the host row's report time is written at most this often. */
const REPORT_PERSIST_MS = 15_000;

export interface RqdLinkOptions {
  hostToken: string;
  defaultAllocation: string;
  /** Reads every log chunk after it went out to `/live` (alert rules, preview results). */
  onLog?: (chunk: LogChunk) => void;
}

type AckFn = (ack: Ack<Record<string, unknown>>) => void;

export function attachRqdLink(io: Server, d: Dispatcher, options: RqdLinkOptions): void {
  const nsp = io.of(RQD_NAMESPACE);
  d.rqd = nsp;
  const expected = Buffer.from(options.hostToken);
  // A host presents the shared token (local mode, small farms) or its own host token, created
  // by an admin (HostToken rows: only the SHA-256 is stored; a revoked one is refused).
  nsp.use((socket, next) => {
    const auth = rqdAuthSchema.safeParse(socket.handshake.auth);
    const refuse = () => {
      d.log.warn({ address: socket.handshake.address }, 'rqd refused: missing, wrong or revoked host token');
      next(new Error('host token missing, wrong or revoked'));
    };
    if (!auth.success) return refuse();
    const given = Buffer.from(auth.data.token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    const tokenHash = createHash('sha256').update(auth.data.token).digest('hex');
    d.db.hostToken.findUnique({ where: { tokenHash }, select: { revokedAt: true } }).then(
      (row) => (row && !row.revokedAt ? next() : refuse()),
      () => refuse(),
    );
  });

  nsp.on('connection', (socket) => {
    corkPerTick(socket);
    // A commit the database thread finished settles as the next host message arrives, not at the
    // end of the event loop's turn (see PostgresWriter).
    socket.use((_packet, next) => {
      noticeCommits();
      next();
    });
    let host: MemHost | null = null;
    const lastPersist = { at: 0 };

    /** Validates a message; on failure answers and logs the reason. */
    function parse<S extends z.ZodType>(schema: S, event: string, msg: unknown, ack?: AckFn): z.infer<S> | null {
      const parsed = schema.safeParse(msg);
      if (parsed.success && (host || event === RQD_EVENTS.register)) return parsed.data;
      const error = parsed.success
        ? 'register the host first'
        : `malformed ${event}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`;
      d.log.warn({ socket: socket.id, event, error }, 'rqd message refused');
      ack?.({ ok: false, error });
      return null;
    }

    socket.on(RQD_EVENTS.register, async (msg: unknown, ack?: AckFn) => {
      const reg = parse(hostRegisterSchema, RQD_EVENTS.register, msg, ack);
      if (!reg) return;
      try {
        host = await registerHost(d, reg, options.defaultAllocation, socket);
        ack?.({ ok: true, hostId: host.id });
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        d.log.warn({ host: reg.name, error }, 'host registration refused');
        ack?.({ ok: false, error });
      }
    });

    socket.on(RQD_EVENTS.report, async (msg: unknown, ack?: AckFn) => {
      const report = parse(hostReportSchema, RQD_EVENTS.report, msg, ack);
      if (!report || !host) return;
      const h = host;
      d.metrics.hostReports.inc();
      h.lastReportAt = Date.now();
      Object.assign(h.details, { load: report.load, freeMemoryMb: report.freeMemoryMb, freeTempMb: report.freeTempMb });
      reconcileRunning(d, h, report.running, false);
      if (h.state === 'DOWN') {
        h.state = 'UP';
        d.store.host(h);
        d.scheduling.hostChanged(h);
        lastPersist.at = h.lastReportAt;
        await d.store.commit().catch(() => undefined);
        d.publishHost(h);
      } else if (h.lastReportAt - lastPersist.at >= REPORT_PERSIST_MS) {
        // Reports live in memory; the host row hears of them now and then, with the next commit.
        lastPersist.at = h.lastReportAt;
        d.store.host(h);
        d.publishHost(h);
      }
      ack?.({ ok: true });
    });

    /**
     * Frame events carry rqd's `seq`. One at or below the last applied from this host is a
     * resend: acknowledged once what it duplicates is committed, never applied twice.
     */
    function frameEvent<S extends z.ZodType<{ seq?: number | undefined }>>(
      event: string,
      schema: S,
      apply: (h: MemHost, msg: z.infer<S>) => Promise<string | null> | string | null,
    ) {
      socket.on(event, async (raw: unknown, ack?: AckFn) => {
        const msg = parse(schema, event, raw, ack);
        if (!msg || !host) return;
        const h = host;
        d.metrics.rqdEvents.inc({ event });
        if (msg.seq !== undefined && msg.seq <= h.lastSeq) {
          await h.lastEventWrite;
          ack?.({ ok: true });
          return;
        }
        if (msg.seq !== undefined) h.lastSeq = msg.seq;
        const applied = Promise.resolve(apply(h, msg));
        h.lastEventWrite = applied.then(
          () => undefined,
          () => undefined,
        );
        try {
          const refused = await applied;
          if (refused) d.log.info({ host: h.name, event, frameId: (msg as { frameId?: number }).frameId, refused }, 'rqd event refused');
          ack?.(refused ? { ok: false, error: refused } : { ok: true });
        } catch (e) {
          // Not acknowledged: rqd keeps the event and sends it again.
          d.log.error({ err: e, host: h.name, event }, 'rqd event could not be applied');
        }
      });
    }

    frameEvent(RQD_EVENTS.started, frameStartedSchema, (h, msg) => frameStarted(d, h, msg));
    frameEvent(RQD_EVENTS.exited, frameExitedSchema, (h, msg) => frameExited(d, h, msg));
    frameEvent(RQD_EVENTS.log, logChunkSchema, (_h, chunk) => {
      d.live.log(chunk);
      options.onLog?.(chunk);
      return null;
    });

    socket.on('disconnect', () => {
      // Frames keep running on a host whose link drops; the host monitor decides when it is DOWN.
      if (host && host.socketId === socket.id) {
        host.socketId = null;
        d.scheduling.hostChanged(host);
      }
    });
  });
}

async function registerHost(
  d: Dispatcher,
  reg: z.infer<typeof hostRegisterSchema>,
  defaultAllocation: string,
  socket: Socket,
): Promise<MemHost> {
  const allocationName = reg.allocation ?? defaultAllocation;
  const allocation = [...d.farm.allocations.values()].find((a) => a.name === allocationName);
  if (!allocation) throw new Error(`allocation '${allocationName}' does not exist`);
  const now = Date.now();
  const details = {
    physicalCores: reg.physicalCores ?? reg.cores,
    swapMb: reg.swapMb,
    os: reg.os,
    load: reg.load,
    freeMemoryMb: reg.memoryMb,
    freeTempMb: reg.freeTempMb,
    bootedAt: reg.bootedAt,
  };
  const known = d.farm.hostsByName.get(reg.name);
  const h: MemHost = known ?? {
    id: randomUUID(),
    name: reg.name,
    allocationId: allocation.id,
    cores: reg.cores,
    memoryMb: reg.memoryMb,
    gpus: reg.gpus,
    gpuMemoryMb: reg.gpuMemoryMb,
    tags: reg.tags,
    state: 'UP',
    lock: 'OPEN',
    lastReportAt: now,
    procs: new Map(),
    socketId: socket.id,
    connectedAt: now,
    coolingUntil: 0,
    details,
    freedAt: now,
    lastSeq: 0,
    lastEventWrite: Promise.resolve(),
  };
  Object.assign(h, { cores: reg.cores, memoryMb: reg.memoryMb, gpus: reg.gpus, gpuMemoryMb: reg.gpuMemoryMb, tags: reg.tags, details });
  Object.assign(h, { state: 'UP', lastReportAt: now, socketId: socket.id, connectedAt: now, freedAt: now });
  d.store.host(h);
  await d.store.commit();
  d.farm.hosts.set(h.id, h);
  d.farm.hostsByName.set(h.name, h);

  // Frames the host still runs: keep (adopt) the ones the dispatcher gave it; kill stale copies.
  reconcileRunning(d, h, reg.running, true);
  d.log.info({ host: h.name, cores: h.cores, memoryMb: h.memoryMb, running: reg.running.length }, 'host registered');
  d.publishHost(h);
  d.scheduling.hostChanged(h);
  return h;
}
