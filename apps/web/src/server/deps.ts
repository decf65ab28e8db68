/**
 * What the web's handlers need from the outside world: the database, where the dispatcher
 * and the logs are, and how people are recognised. Route files use the process's own (from
 * settings); tests pass their own.
 */
import { type AuthConfig, authConfigFrom } from './auth/config';
import { type Database, getDb } from './db';
import { getSettings } from './settings';

export interface WebDeps {
  db: () => Promise<Database>;
  dispatcherUrl: string;
  logRoot: string;
  /** Absent (tests written before accounts): the process's own, from settings. */
  auth?: AuthConfig;
}

const holder = globalThis as typeof globalThis & { __farmhandWebAuth?: AuthConfig };

/** The process's own auth configuration, made once from settings. */
function processAuth(settings = getSettings()): AuthConfig {
  holder.__farmhandWebAuth ??= authConfigFrom(settings);
  return holder.__farmhandWebAuth;
}

export function webDeps(): WebDeps {
  const settings = getSettings();
  return { db: getDb, dispatcherUrl: settings.dispatcherUrl, logRoot: settings.logRoot, auth: processAuth(settings) };
}

/** How these deps recognise people: their own auth configuration, else the process's own. */
export function authOf(deps: WebDeps): AuthConfig {
  return deps.auth ?? processAuth();
}
