/**
 * The web's one database handle per process (kept on globalThis so Next's dev reloads do not
 * open a new pool per edit). The web only reads, and stores commands; the dispatcher writes
 * scheduling state.
 */
import { type Database, openDatabase } from '@farmhand/db';
import { getSettings } from './settings';

export type { Database };

const holder = globalThis as typeof globalThis & { __farmhandWebDb?: Promise<Database> };

export function getDb(): Promise<Database> {
  holder.__farmhandWebDb ??= Promise.resolve(openDatabase(getSettings().databaseUrl));
  return holder.__farmhandWebDb;
}
