/**
 * `@farmhand/dispatcher/testing` — a real farm for integration tests, shared by the
 * dispatcher's, the web's and the CLI's tests: the dispatcher in this process on a test
 * database, and real rqd processes (the CLI, as a host runs it) that run real shell commands,
 * each host spooling to its own directory under the farm's data dir. Tests drive it as the web
 * does — commands stored in the inbox, then applied — and wait on the live feed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type CommandInput,
  type CommandResult,
  type JobDelta,
  LIVE_EVENTS,
  LIVE_NAMESPACE,
  liveRoom,
  loadSettings,
} from '@farmhand/contracts';
import { type Database, openDatabase } from '@farmhand/db';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { type DispatcherOptions, type RunningDispatcher, startDispatcher } from './server';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const TOKEN = 'test-host-token-0123456789';

export interface FarmOptions {
  timings?: DispatcherOptions['timings'];
  events?: DispatcherOptions['events'];
}

export interface Farm {
  dispatcher: RunningDispatcher;
  /**
   * Stops the dispatcher (hosts keep running) and starts a new one on the same port and database;
   * `between` runs while none is running (a test leaves the database as a crash would).
   */
  restartDispatcher(between?: () => Promise<unknown>): Promise<void>;
  db: Database;
  dataDir: string;
  logRoot: string;
  live: Socket;
  startRqd(name?: string, extra?: string[]): ChildProcess;
  command(cmd: CommandInput, user?: string): Promise<CommandResult>;
  submit(spec: Record<string, unknown>): Promise<string>;
  /** Resolves with the job's latest delta once `done` holds for it (deltas are kept from the farm's start). */
  waitForJob(jobId: string, done: (job: JobDelta) => boolean, timeoutMs?: number): Promise<JobDelta>;
  /** Resolves with the id of the job named `name` once the dispatcher has stored it. */
  waitForJobNamed(name: string, timeoutMs?: number): Promise<string>;
  waitUntil<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startFarm(databaseUrl: string, env: Record<string, string> = {}, options: FarmOptions = {}): Promise<Farm> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-farm-'));
  const settings = loadSettings({ DATABASE_URL: databaseUrl, FARMHAND_DATA_DIR: dataDir, FARMHAND_HOST_TOKEN: TOKEN, ...env });
  const logger = pino({ level: process.env.FARMHAND_TEST_LOG_LEVEL ?? 'silent' });
  const start = (port: number) =>
    startDispatcher({ settings, port, logger, commandPollMs: 200, timings: options.timings, events: options.events });
  let dispatcher = await start(0);
  const db = openDatabase(databaseUrl);
  const live = io(`${dispatcher.url}${LIVE_NAMESPACE}`, { transports: ['websocket'] });
  const jobs = new Map<string, JobDelta>();
  const jobWaiters = new Set<() => void>();
  live.on(LIVE_EVENTS.jobs, (deltas: JobDelta[]) => {
    for (const j of deltas) jobs.set(j.id, j);
    for (const w of jobWaiters) w();
  });
  live.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') live.connect(); // a stopped dispatcher: wait for the next one
  });
  // Joined again after every reconnect (a restarted dispatcher knows no rooms).
  await new Promise<void>((resolve) => live.on('connect', () => live.emit(LIVE_EVENTS.join, { room: liveRoom.farm() }, () => resolve())));
  const rqds: ChildProcess[] = [];

  const farm: Farm = {
    get dispatcher() {
      return dispatcher;
    },
    async restartDispatcher(between) {
      const port = dispatcher.port;
      await dispatcher.stop();
      await between?.();
      dispatcher = await start(port);
    },
    db,
    dataDir,
    logRoot: settings.logRoot,
    live,
    startRqd(name = 'render01', extra = []) {
      // node itself (not the tsx wrapper) so that signals sent to the child reach rqd.
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'apps/rqd/src/main.ts',
          '--dispatcher',
          dispatcher.url,
          '--token',
          TOKEN,
          '--name',
          name,
          '--log-root',
          settings.logRoot,
          // Each farm's hosts spool to its own data dir (rqd adds the host's name): a journal left
          // by another test's host would otherwise be replayed into this farm, whose frame ids
          // start at 1 again.
          '--spool-dir',
          path.join(dataDir, 'rqd-spool'),
          '--single-user',
          ...extra,
        ],
        {
          cwd: repoRoot,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, FARMHAND_LOG_LEVEL: 'warn', FARMHAND_REPORT_INTERVAL_S: '0.3' },
        },
      );
      child.stderr?.on('data', (b: Buffer) => process.stderr.write(`[rqd ${name}] ${b}`));
      rqds.push(child);
      return child;
    },
    async command(cmd, user = 'alice') {
      const row = await db.prisma.command.create({
        data: { user, kind: cmd.kind, targetType: cmd.targetType, targetId: cmd.targetId, args: JSON.stringify(cmd.args ?? {}) },
      });
      const res = await fetch(`${dispatcher.url}/commands/${row.id}/apply`, { method: 'POST' });
      return (await res.json()) as CommandResult;
    },
    async submit(spec) {
      const result = await farm.command({ kind: 'submit_job', targetType: 'show', targetId: String(spec.show), args: spec as never });
      if (result.status !== 'APPLIED') throw new Error(`submit failed: ${JSON.stringify(result.outcome)}`);
      return String(result.outcome?.jobId);
    },
    waitForJob(jobId, done, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const j = jobs.get(jobId);
          if (j && done(j)) {
            clearTimeout(timer);
            jobWaiters.delete(check);
            resolve(j);
          }
        };
        const timer = setTimeout(() => {
          jobWaiters.delete(check);
          reject(new Error(`job ${jobId} did not reach the expected state; last seen ${JSON.stringify(jobs.get(jobId))}`));
        }, timeoutMs);
        jobWaiters.add(check);
        check();
      });
    },
    async waitForJobNamed(name, timeoutMs = 30_000) {
      const job = await farm.waitUntil(
        () => db.prisma.job.findFirst({ where: { name }, select: { id: true } }),
        `a job named '${name}' to be created`,
        timeoutMs,
      );
      return job.id;
    },
    async waitUntil(probe, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value) return value as never;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      live.close();
      await Promise.all(
        rqds.map((child) =>
          child.exitCode !== null || child.signalCode
            ? null
            : new Promise((r) => {
                child.once('exit', r);
                child.kill('SIGTERM');
              }),
        ),
      );
      await dispatcher.stop();
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return farm;
}

export function spec(overrides: Record<string, unknown> = {}, layer: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'hello',
    show: 'sandbox',
    shot: 'sh010',
    user: 'alice',
    maxRetries: 1,
    layers: [{ name: 'render', command: 'echo frame #FRAME#', range: '1-3', chunk: 1, cores: 1, memoryMb: 64, ...layer }],
    ...overrides,
  };
}
