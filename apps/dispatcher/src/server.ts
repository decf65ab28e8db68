/**
 * Starts a dispatcher: migrates and opens the database, loads the farm into memory, serves
 * HTTP (commands, health, metrics) and socket.io (/rqd for hosts, /live for browsers) on one
 * port, and runs the command inbox and the host monitor. `stop()` shuts it all down cleanly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DispatcherHealth, databaseProvider, type Settings } from '@farmhand/contracts';
import { ensureLocalFarm, openDatabase } from '@farmhand/db';
import pino, { type Logger } from 'pino';
import { Server } from 'socket.io';
import { CommandInbox } from './commands';
import { Dispatcher } from './dispatcher';
import { loadFarm } from './farm/load';
import { resolveHostToken } from './hostToken';
import { DEFAULT_TIMINGS, startHostMonitor, type WatchTimings } from './hostWatch';
import { LiveFanout } from './live';
import { createMetrics } from './metrics';
import { openWriter } from './persist/writer';
import { attachRqdLink } from './rqdLink';
import { takeDispatcherLock } from './singleInstance';
import { migrateAtStart } from './startupMigrate';

export interface DispatcherOptions {
  settings: Settings;
  /** Port to listen on; 0 picks a free one. Defaults to settings.dispatcherPort. */
  port?: number;
  defaultAllocation?: string;
  logger?: Logger;
  commandPollMs?: number;
  /**
   * Called when the database keeps refusing commits: memory is then ahead of it, and only a
   * restart (memory rebuilt from the database and the hosts' journals) is safe. Default: exit 1.
   */
  onFatal?: (e: unknown) => void;
  /** Setup timeout and lost-frame grace (the host timeout comes from settings). */
  timings?: Partial<Omit<WatchTimings, 'hostTimeoutS'>>;
}

export interface RunningDispatcher {
  port: number;
  url: string;
  dispatcher: Dispatcher;
  stop(): Promise<void>;
}

export async function startDispatcher(options: DispatcherOptions): Promise<RunningDispatcher> {
  const { settings } = options;
  const log = options.logger ?? pino({ level: settings.logLevel, name: 'dispatcher' });
  const provider = databaseProvider(settings.databaseUrl);
  const releaseLock = provider === 'sqlite' ? takeDispatcherLock(settings.dataDir) : () => undefined;
  try {
    const { applied, database } = await migrateAtStart(settings.databaseUrl, () => openDatabase(settings.databaseUrl));
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    await ensureLocalFarm(database.prisma);
    const farm = await loadFarm(database.prisma);
    const metrics = createMetrics();
    const startedAt = new Date();

    const httpServer = http.createServer();
    const io = new Server(httpServer, { cors: { origin: true }, maxHttpBufferSize: 16e6 });
    const live = new LiveFanout(io);
    const timings: WatchTimings = { ...DEFAULT_TIMINGS, ...options.timings, hostTimeoutS: settings.hostTimeoutS };
    const onFatal = options.onFatal ?? (() => process.exit(1));
    const writer = openWriter(settings.databaseUrl);
    const d = new Dispatcher({ database, writer, farm, live, log, metrics, timings, onFatal });
    const inbox = new CommandInbox(d);
    attachRqdLink(io, d, {
      hostToken: resolveHostToken(settings.dataDir, settings.hostToken),
      defaultAllocation: options.defaultAllocation ?? 'local.general',
    });

    const health = (): DispatcherHealth => ({
      status: 'ok',
      state: 'active',
      hostsUp: [...farm.hosts.values()].filter((h) => h.state === 'UP').length,
      startedAt: startedAt.toISOString(),
    });
    httpServer.on('request', (req, res) => {
      if (req.url?.startsWith('/socket.io')) return;
      const reply = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
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
          metrics.hostsByState.set({ state: s }, [...farm.hosts.values()].filter((h) => h.state === s).length);
        metrics.registry.metrics().then((text) => reply(200, text, metrics.registry.contentType));
      } else {
        reply(404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` } });
      }
    });

    const port = options.port ?? settings.dispatcherPort;
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, () => resolve());
    });
    const actualPort = (httpServer.address() as AddressInfo).port;
    inbox.startPolling(options.commandPollMs ?? 1000);
    const monitor = startHostMonitor(d);
    d.scheduling.start();
    log.info({ port: actualPort, provider, hosts: farm.hosts.size, jobs: farm.jobs.size }, 'dispatcher active');
    d.requestPass();

    let stopped = false;
    return {
      port: actualPort,
      url: `http://127.0.0.1:${actualPort}`,
      dispatcher: d,
      async stop() {
        if (stopped) return;
        stopped = true;
        inbox.stop();
        clearInterval(monitor);
        d.scheduling.stop();
        live.close();
        await d.store.close();
        io.close();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await database.close();
        releaseLock();
        log.info('dispatcher stopped');
      },
    };
  } catch (e) {
    releaseLock();
    throw e;
  }
}
