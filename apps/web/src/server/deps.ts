/**
 * What the web's handlers need from the outside world: the database, where the dispatcher
 * and the logs are. Route files use the process's own (from settings); tests pass their own.
 */
import { type Database, getDb } from './db';
import { getSettings } from './settings';

export interface WebDeps {
  db: () => Promise<Database>;
  dispatcherUrl: string;
  logRoot: string;
}

export function webDeps(): WebDeps {
  const settings = getSettings();
  return { db: getDb, dispatcherUrl: settings.dispatcherUrl, logRoot: settings.logRoot };
}
