/**
 * A real farm for the web's (and the CLI's) integration tests: a fresh migrated database and
 * the shared farm of `@farmhand/dispatcher/testing` (the real dispatcher in this process, real
 * rqd processes each with its own spool dir), plus the deps the web's handlers take. Tests call
 * the same handlers Next mounts (Request in, Response out).
 */
import type { Database, Provider } from '@farmhand/db';
import { createTestDatabase } from '@farmhand/db/testing';
import { type Farm, startFarm } from '@farmhand/dispatcher/testing';
import type { WebDeps } from '../../src/server/deps';

export type WebFarm = Pick<Farm, 'db' | 'dispatcher' | 'logRoot' | 'startRqd' | 'waitForJob' | 'waitForJobNamed' | 'stop'> & {
  deps: WebDeps;
};

export async function startWebFarm(provider: Provider): Promise<WebFarm> {
  const database = await createTestDatabase(provider);
  const farm = await startFarm(database.url);
  return {
    db: farm.db,
    get dispatcher() {
      return farm.dispatcher;
    },
    logRoot: farm.logRoot,
    deps: { db: async () => farm.db, dispatcherUrl: farm.dispatcher.url, logRoot: farm.logRoot },
    startRqd: (name, extra) => farm.startRqd(name, extra),
    waitForJob: (jobId, done, timeoutMs) => farm.waitForJob(jobId, done, timeoutMs),
    waitForJobNamed: (name, timeoutMs) => farm.waitForJobNamed(name, timeoutMs),
    async stop() {
      await farm.stop();
      await database.drop();
    },
  };
}

/** The jobs and commands stored, to check that refused input stored nothing. */
export async function storedCounts(db: Database): Promise<{ jobs: number; commands: number }> {
  const [jobs, commands] = await Promise.all([db.prisma.job.count(), db.prisma.command.count()]);
  return { jobs, commands };
}
