/**
 * A real farm for the web's integration tests: a fresh migrated database, the real dispatcher
 * in this process, optionally a real rqd process, and the deps the web's handlers take. Tests
 * call the same handlers Next mounts (Request in, Response out).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type JobDelta, LIVE_EVENTS, LIVE_NAMESPACE, liveRoom, loadSettings } from '@farmhand/contracts';
import { type Database, openDatabase, type Provider } from '@farmhand/db';
import { createTestDatabase, type TestDatabase } from '@farmhand/db/testing';
import { type RunningDispatcher, startDispatcher } from '@farmhand/dispatcher';
import pino from 'pino';
import { io } from 'socket.io-client';
import type { WebDeps } from '../../src/server/deps';
import { getJob } from '../../src/server/services/jobs';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const TOKEN = 'web-test-host-token-0123456789';

export interface WebFarm {
  db: Database;
  deps: WebDeps;
  dispatcher: RunningDispatcher;
  logRoot: string;
  startRqd(name: string): ChildProcess;
  /** Resolves with the job's delta once `done` holds for it, from the dispatcher's live feed. */
  waitForJob(jobId: string, done: (job: JobDelta) => boolean, timeoutMs?: number): Promise<JobDelta>;
  /** Resolves with the id of the job named `name` once the dispatcher has created it (announced on the farm room). */
  waitForJobNamed(name: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startWebFarm(provider: Provider): Promise<WebFarm> {
  const database: TestDatabase = await createTestDatabase(provider);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-web-'));
  const settings = loadSettings({ DATABASE_URL: database.url, FARMHAND_DATA_DIR: dataDir, FARMHAND_HOST_TOKEN: TOKEN });
  const dispatcher = await startDispatcher({ settings, port: 0, logger: pino({ level: 'silent' }), commandPollMs: 200 });
  const db = openDatabase(database.url);
  const rqds: ChildProcess[] = [];
  return {
    db,
    dispatcher,
    logRoot: settings.logRoot,
    deps: { db: async () => db, dispatcherUrl: dispatcher.url, logRoot: settings.logRoot },
    startRqd(name) {
      const child = spawn(
        path.join(repoRoot, 'node_modules/.bin/tsx'),
        [
          'apps/rqd/src/main.ts',
          '--dispatcher',
          dispatcher.url,
          '--token',
          TOKEN,
          '--name',
          name,
          '--log-root',
          settings.logRoot,
          '--report-interval',
          '0.5',
        ],
        { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FARMHAND_LOG_LEVEL: 'warn' } },
      );
      child.stderr?.on('data', (b: Buffer) => process.stderr.write(`[rqd ${name}] ${b}`));
      rqds.push(child);
      return child;
    },
    waitForJob(jobId, done, timeoutMs = 30_000) {
      const live = io(`${dispatcher.url}${LIVE_NAMESPACE}`, { transports: ['websocket'] });
      let last: JobDelta | undefined;
      return new Promise<JobDelta>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`job ${jobId} did not get there; last seen ${JSON.stringify(last)}`)), timeoutMs);
        live.on(LIVE_EVENTS.jobs, (deltas: JobDelta[]) => {
          for (const d of deltas) {
            if (d.id !== jobId) continue;
            last = d;
            if (done(d)) {
              clearTimeout(timer);
              resolve(d);
            }
          }
        });
        // Joined: anything that happened before is in the database; later changes come as deltas.
        live.on('connect', () =>
          live.emit(LIVE_EVENTS.join, { room: liveRoom.job(jobId) }, async () => {
            const { job } = await getJob(db, jobId);
            const now: JobDelta = { id: job.id, state: job.state, paused: job.paused, priority: job.priority, counts: job.counts };
            if (done(now)) {
              clearTimeout(timer);
              resolve(now);
            }
          }),
        );
      }).finally(() => live.close());
    },
    waitForJobNamed(name, timeoutMs = 30_000) {
      const live = io(`${dispatcher.url}${LIVE_NAMESPACE}`, { transports: ['websocket'] });
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no job named '${name}' was created`)), timeoutMs);
        const look = async () => {
          const job = await db.prisma.job.findFirst({ where: { name }, select: { id: true } });
          if (job) {
            clearTimeout(timer);
            resolve(job.id);
          }
        };
        live.on(LIVE_EVENTS.jobs, () => void look());
        live.on('connect', () => live.emit(LIVE_EVENTS.join, { room: liveRoom.farm() }, () => void look()));
      }).finally(() => live.close());
    },
    async stop() {
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
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The jobs and commands stored, to check that refused input stored nothing. */
export async function storedCounts(db: Database): Promise<{ jobs: number; commands: number }> {
  const [jobs, commands] = await Promise.all([db.prisma.job.count(), db.prisma.command.count()]);
  return { jobs, commands };
}
