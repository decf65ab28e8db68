/**
 * Settings, read once from the environment and validated, shared by every process so that two
 * stacks can run side by side on one machine by changing a few variables.
 */
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

export const settingsSchema = z.object({
  /** Empty: the embedded SQLite file `<dataDir>/farmhand.db`. `postgres://…` or `file:…` otherwise. */
  DATABASE_URL: z.string().default(''),
  FARMHAND_DATA_DIR: z.string().default('./data'),
  /** Where frame logs are written and read: `<root>/<show>/<job>/<layer>/<frame>.<attempt>.log`. */
  FARMHAND_LOG_ROOT: z.string().optional(),
  /** Render outputs (layers' `outputPath`, relative to it) and previews (`previews/…`); shared by hosts and the web. */
  FARMHAND_MEDIA_ROOT: z.string().optional(),
  PORT: port.default(3000),
  FARMHAND_DISPATCHER_PORT: port.default(8700),
  /** Where the web and rqd find the dispatcher. */
  FARMHAND_DISPATCHER_URL: z.string().optional(),
  /** Shared secret rqd presents to the dispatcher. Generated into the data dir when unset. */
  FARMHAND_HOST_TOKEN: z.string().optional(),
  /** Seconds without a report before a host is DOWN and its frames go back to WAITING. */
  FARMHAND_HOST_TIMEOUT_S: z.coerce.number().positive().default(300),
  FARMHAND_REPORT_INTERVAL_S: z.coerce.number().positive().default(3),
  FARMHAND_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The address the web listens on. Loopback (the default) with FARMHAND_AUTH unset is local mode: the OS user is admin. */
  FARMHAND_WEB_HOST: z.string().default('127.0.0.1'),
  /** `required`: sign-in even on loopback. `auto` (default): required unless the web listens on loopback only. */
  FARMHAND_AUTH: z.enum(['auto', 'required']).default('auto'),
  /** Secret the web signs live tickets with and the dispatcher checks them with; generated into the data dir when unset. */
  FARMHAND_LIVE_SECRET: z.string().optional(),
  /** Hours a sign-in lasts. */
  FARMHAND_SESSION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(12),
  /** LDAP / Active Directory sign-in, e.g. `ldap://ldap.studio:389`; unset: built-in accounts only. */
  FARMHAND_LDAP_URL: z.string().optional(),
  /** The DN to bind as, with `{user}` for the user name, e.g. `uid={user},ou=people,dc=studio,dc=com` (AD: `{user}@studio.com`). */
  FARMHAND_LDAP_USER_DN: z.string().default('uid={user},ou=people,dc=farmhand,dc=local'),
  /** Where groups are searched (groupOfNames / group with `member`). */
  FARMHAND_LDAP_GROUP_BASE: z.string().default('ou=groups,dc=farmhand,dc=local'),
});

export interface Settings {
  databaseUrl: string;
  dataDir: string;
  logRoot: string;
  mediaRoot: string;
  webPort: number;
  dispatcherPort: number;
  dispatcherUrl: string;
  hostToken: string | undefined;
  hostTimeoutS: number;
  reportIntervalS: number;
  logLevel: z.infer<typeof settingsSchema>['FARMHAND_LOG_LEVEL'];
  webHost: string;
  /** `local`: loopback and no FARMHAND_AUTH, the OS user is admin; `required`: sign-in or an API token. */
  authMode: 'local' | 'required';
  liveSecret: string | undefined;
  sessionHours: number;
  ldap: { url: string; userDn: string; groupBase: string } | null;
}

/** Whether an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function loadSettings(env: Record<string, string | undefined>): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Farmhand settings are not valid: ${problems}`);
  }
  const s = parsed.data;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ s.FARMHAND_DATA_DIR);
  return {
    databaseUrl: s.DATABASE_URL || `file:${path.join(dataDir, 'farmhand.db')}`,
    dataDir,
    logRoot: path.resolve(/*turbopackIgnore: true*/ s.FARMHAND_LOG_ROOT ?? path.join(dataDir, 'logs')),
    mediaRoot: path.resolve(/*turbopackIgnore: true*/ s.FARMHAND_MEDIA_ROOT ?? path.join(dataDir, 'media')),
    webPort: s.PORT,
    dispatcherPort: s.FARMHAND_DISPATCHER_PORT,
    dispatcherUrl: s.FARMHAND_DISPATCHER_URL ?? `http://127.0.0.1:${s.FARMHAND_DISPATCHER_PORT}`,
    hostToken: s.FARMHAND_HOST_TOKEN,
    hostTimeoutS: s.FARMHAND_HOST_TIMEOUT_S,
    reportIntervalS: s.FARMHAND_REPORT_INTERVAL_S,
    logLevel: s.FARMHAND_LOG_LEVEL,
    webHost: s.FARMHAND_WEB_HOST,
    authMode: s.FARMHAND_AUTH === 'required' || !isLoopback(s.FARMHAND_WEB_HOST) ? 'required' : 'local',
    liveSecret: s.FARMHAND_LIVE_SECRET,
    sessionHours: s.FARMHAND_SESSION_HOURS,
    ldap: s.FARMHAND_LDAP_URL ? { url: s.FARMHAND_LDAP_URL, userDn: s.FARMHAND_LDAP_USER_DN, groupBase: s.FARMHAND_LDAP_GROUP_BASE } : null,
  };
}

export function databaseProvider(url: string): 'sqlite' | 'postgres' {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error(`DATABASE_URL '${url}' is not supported: use postgres://… or file:…`);
}
