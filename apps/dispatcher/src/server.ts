/**
 * Starts a dispatcher: listens at once (so /health can say `standby` or `starting`), becomes the
 * active dispatcher of its database (leadership.ts), then migrates and opens the database, loads
 * the farm into memory, and serves commands, metrics and socket.io (/rqd for hosts, /live for
 * browsers) on the same port, with the command inbox and the host monitor running. Resolves
 * once active; `stop()` shuts it all down cleanly.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DispatcherHealth, databaseProvider, type Settings } from '@farmhand/contracts';
import { resolveLiveSecret } from '@farmhand/contracts/live-ticket';
import { ensureLocalFarm, openDatabase } from '@farmhand/db';
import pino, { type Logger } from 'pino';
import { Server } from 'socket.io';
import { CommandInbox } from './commands';
import { Dispatcher } from './dispatcher';
import { EventOutbox } from './events/outbox';
import { pushNotifications } from './events/push';
import { DEFAULT_WEBHOOK_SETTINGS, WebhookSender, type WebhookSettings } from './events/webhookSender';
import { loadFarm } from './farm/load';
import { resolveHostToken } from './hostToken';
import { DEFAULT_TIMINGS, startHostMonitor, type WatchTimings } from './hostWatch';
import { becomeActive } from './leadership';
import { LiveFanout } from './live';
import { liveAccess } from './liveAccess';
import { LogWatch } from './logWatch/logWatch';
import { createMetrics, type DispatcherMetrics } from './metrics';
import { openWriter } from './persist/writer';
import { attachRqdLink } from './rqdLink';
import { migrateAtStart } from './startupMigrate';

export interface DispatcherOptions {
  settings: Settings;
  /** Port to listen on; 0 picks a free one. Defaults to settings.dispatcherPort. */
  port?: number;
  defaultAllocation?: string;
  logger?: Logger;
  commandPollMs?: number;
  /** How often users' alert rules are read again (ms). */
  alertRefreshMs?: number;
  /**
   * Called when the database keeps refusing commits, or when the lock that makes this the only
   * active dispatcher is lost: only a restart is then safe. Default: exit 1.
   */
  onFatal?: (e: unknown) => void;
  /** Setup timeout and lost-frame grace (the host timeout comes from settings). */
  timings?: Partial<Omit<WatchTimings, 'hostTimeoutS'>>;
  /** Farm events: the `frame.failed` threshold and webhook retries (dispatcherSettings.ts). */
  events?: Partial<WebhookSettings & { frameFailedAfter: number }>;
}

export interface RunningDispatcher {
  port: number;
  url: string;
  dispatcher: Dispatcher;
  /** Alert rules and preview results read from the log stream. */
  logWatch: LogWatch;
  stop(): Promise<void>;
}

type Reply = (status: number, body: unknown, type?: string) => void;

export async function startDispatcher(options: DispatcherOptions): Promise<RunningDispatcher> {
  const { settings } = options;
  const log = options.logger ?? pino({ level: settings.logLevel, name: 'dispatcher' });
  const provider = databaseProvider(settings.databaseUrl);
  const onFatal = options.onFatal ?? (() => process.exit(1));
  const startedAt = new Date().toISOString();
  let state: DispatcherHealth['state'] = 'starting';
  let active: ((req: http.IncomingMessage, reply: Reply) => void) | null = null;

  const httpServer = http.createServer();
  httpServer.on('request', (req, res) => {
    const reply: Reply = (status, body, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (active) return active(req, reply);
    if (req.method === 'GET' && req.url === '/health') return reply(200, { status: 'ok', state, hostsUp: 0, startedAt });
    reply(503, {
      error: {
        code: 'UNAVAILABLE',
        message: `this dispatcher is ${state === 'standby' ? 'the standby; the active one serves' : 'starting'}`,
      },
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? settings.dispatcherPort, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;

  let leadership: Awaited<ReturnType<typeof becomeActive>> | null = null;
  try {
    leadership = await becomeActive({
      databaseUrl: settings.databaseUrl,
      log,
      onStandby: () => {
        state = 'standby';
      },
      onLost: (e) => {
        log.fatal({ err: e }, 'lost the lock that makes this the only active dispatcher; stopping');
        onFatal(e);
      },
    });
    state = 'starting';
    const { applied, database } = await migrateAtStart(settings.databaseUrl, () => openDatabase(settings.databaseUrl));
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    await ensureLocalFarm(database.prisma);
    const farm = await loadFarm(database.prisma);
    const metrics = createMetrics();
    const io = new Server(httpServer, { cors: { origin: true }, maxHttpBufferSize: 16e6 });
    const live = new LiveFanout(
      io,
      liveAccess({
        required: settings.authMode === 'required',
        secret: () => resolveLiveSecret(settings.dataDir, settings.liveSecret),
        farm,
        database,
      }),
    );
    const timings: WatchTimings = { ...DEFAULT_TIMINGS, ...options.timings, hostTimeoutS: settings.hostTimeoutS };
    const writer = openWriter(settings.databaseUrl);
    const d = new Dispatcher({ database, writer, farm, live, log, metrics, timings, onFatal });
    const inbox = new CommandInbox(d);
    if (options.events?.frameFailedAfter) d.eventSettings.frameFailedAfter = options.events.frameFailedAfter;
    const sender = new WebhookSender(d, { ...DEFAULT_WEBHOOK_SETTINGS, ...options.events });
    const outbox = new EventOutbox(d, () => sender.kick());
    d.onEventsCommitted = () => outbox.kick();
    const logWatch = new LogWatch(d);
    attachRqdLink(io, d, {
      onLog: (chunk) => logWatch.chunk(chunk),
      hostToken: resolveHostToken(settings.dataDir, settings.hostToken),
      defaultAllocation: options.defaultAllocation ?? 'local.general',
    });
    const health = (): DispatcherHealth => ({
      status: 'ok',
      state: 'active',
      hostsUp: [...farm.hosts.values()].filter((h) => h.state === 'UP' && h.socketId).length,
      startedAt,
    });
    active = (req, reply) => route(req, reply, { d, inbox, metrics, health, sender });
    state = 'active';
    inbox.startPolling(options.commandPollMs ?? 1000);
    const monitor = startHostMonitor(d);
    d.scheduling.start();
    logWatch.start(options.alertRefreshMs ?? 2000);
    log.info({ port, provider, hosts: farm.hosts.size, jobs: farm.jobs.size }, 'dispatcher active');
    d.requestPass();
    outbox.kick(); // events committed before a restart and not yet fanned out
    sender.kick(); // deliveries due, or waiting for their next try

    let stopped = false;
    const held = leadership;
    return {
      port,
      url: `http://127.0.0.1:${port}`,
      dispatcher: d,
      logWatch,
      async stop() {
        if (stopped) return;
        stopped = true;
        inbox.stop();
        await logWatch.stop();
        clearInterval(monitor);
        d.scheduling.stop();
        live.close();
        await outbox.stop();
        await sender.stop();
        await d.store.close();
        io.close();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await database.close();
        await held.release();
        log.info('dispatcher stopped');
      },
    };
  } catch (e) {
    await leadership?.release();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    throw e;
  }
}

interface Routes {
  d: Dispatcher;
  inbox: CommandInbox;
  metrics: DispatcherMetrics;
  health: () => DispatcherHealth;
  sender: WebhookSender;
}

/** The active dispatcher's HTTP routes (socket.io answers its own paths). */
function route(req: http.IncomingMessage, reply: Reply, { d, inbox, metrics, health, sender }: Routes): void {
  if (req.url?.startsWith('/socket.io')) return;
  const push = req.method === 'POST' && req.url ? /^\/notifications\/([^/]+)\/push$/.exec(req.url) : null;
  if (push) {
    // A user's notifications changed elsewhere (marked read, a log alert): their pages hear the new count.
    pushNotifications(d, [decodeURIComponent(push[1] ?? '')]).then(
      () => reply(200, { ok: true }),
      (e) => reply(500, { error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } }),
    );
    return;
  }
  if (req.method === 'POST' && req.url === '/webhooks/wake') {
    // The web stored a delivery (a webhook's test): send it now rather than at the next safety-net look.
    sender.kick();
    reply(202, { ok: true });
    return;
  }
  const apply = req.method === 'POST' && req.url ? /^\/commands\/(\d+)\/apply$/.exec(req.url) : null;
  if (apply) {
    inbox.apply(Number(apply[1])).then(
      (result) => reply(200, result),
      (e) => reply(500, { error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } }),
    );
  } else if (req.method === 'GET' && req.url === '/health') {
    reply(200, health());
  } else if (req.method === 'GET' && req.url === '/metrics') {
    for (const s of ['WAITING', 'DEPEND', 'SETUP', 'RUNNING', 'SUCCEEDED', 'DEAD', 'EATEN'] as const)
      metrics.framesByState.set({ state: s }, d.countFrames(s));
    for (const s of ['UP', 'DOWN', 'REPAIR'] as const)
      metrics.hostsByState.set({ state: s }, [...d.farm.hosts.values()].filter((h) => h.state === s).length);
    metrics.registry.metrics().then((text) => reply(200, text, metrics.registry.contentType));
  } else {
    reply(404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` } });
  }
}
