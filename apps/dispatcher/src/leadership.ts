/**
 * Only one dispatcher may be active on a database: two would double-book. On SQLite a pid lock
 * in the data dir makes a second one refuse to start. On PostgreSQL the active dispatcher holds
 * a session advisory lock on a connection of its own; another one is a standby, blocked on the
 * same lock, and becomes active the moment the active one's session ends — PostgreSQL ends it
 * as soon as that process dies and its connection closes. A dispatcher that loses its lock's
 * connection while active stops at once (`onLost`): it can no longer be sure it is the only one.
 */
import { postgresConfig, sqliteFilePath } from '@farmhand/db';
import pg from 'pg';
import type { Logger } from 'pino';
import { takeDispatcherLock } from './singleInstance';

/** The advisory lock key ('FHDP'); advisory locks are per database, so farms sharing a server do not meet. */
const LOCK_KEY = 0x46484450;

export interface Leadership {
  release(): Promise<void>;
}

export interface LeadershipOptions {
  databaseUrl: string;
  log: Logger;
  /** Another dispatcher is active: this one waits as its standby. */
  onStandby: () => void;
  /** The lock's connection dropped while active. */
  onLost: (e: unknown) => void;
}

export async function becomeActive(options: LeadershipOptions): Promise<Leadership> {
  if (options.databaseUrl.startsWith('file:')) {
    const release = takeDispatcherLock(sqliteFilePath(options.databaseUrl));
    return { release: async () => release() };
  }
  const client = new pg.Client({ ...postgresConfig(options.databaseUrl), keepAlive: true, application_name: 'farmhand-dispatcher-lock' });
  let holding = false;
  // While standing by, a dropped connection fails the wait below instead.
  client.on('error', (e) => {
    if (holding) options.onLost(e);
  });
  client.on('end', () => {
    if (holding) options.onLost(new Error('the connection holding the dispatcher lock closed'));
  });
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LOCK_KEY]);
  if (!rows[0]?.locked) {
    options.onStandby();
    options.log.info('another dispatcher is active on this database: standing by until it stops');
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    options.log.info('the active dispatcher stopped: taking over');
  }
  holding = true;
  return {
    async release() {
      holding = false;
      await client.end().catch(() => undefined);
    },
  };
}
