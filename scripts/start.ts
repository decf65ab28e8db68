/**
 * `npm start`: the whole farm on one machine. Migrates the database (embedded SQLite in
 * ./data by default, PostgreSQL with DATABASE_URL), then runs the dispatcher, the web app and
 * a local rqd that makes this machine a render host. Ctrl-C stops everything cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadSettings } from '@farmhand/contracts';
import { migrate, openDatabase } from '@farmhand/db';
import { resolveHostToken } from '../apps/dispatcher/src/hostToken';
import { setupFirstAdmin } from '../apps/web/src/server/auth/accounts';
import { ensureWebBuild, webDir } from './webBuild';

const root = path.resolve(import.meta.dirname, '..');
const settings = loadSettings(process.env);
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

/** Node flag for the long-running farm processes (see where the dispatcher starts). */
const YOUNG_GENERATION = '--max-semi-space-size=32';

function run(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `${name.padEnd(10)}│ `;
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (buf: Buffer) => {
      const lines = (rest + buf.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the farm`);
      void stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function waitFor(url: string, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up at ${url} within ${timeoutMs / 1000} s`);
}

/** Sign-in required and no admin yet: the one-time setup step, its password printed once. */
async function firstAdminOnce(): Promise<void> {
  const db = openDatabase(settings.databaseUrl);
  try {
    if ((await db.prisma.user.count({ where: { admin: true } })) > 0) return;
    const { name, password } = await setupFirstAdmin(db);
    console.log(
      `\nSign-in is required (FARMHAND_WEB_HOST=${settings.webHost}${process.env.FARMHAND_AUTH ? `, FARMHAND_AUTH=${process.env.FARMHAND_AUTH}` : ''}).`,
    );
    console.log(
      `First admin created — sign in as '${name}' with this password (shown once, change it on /admin/users):\n\n  ${password}\n`,
    );
  } finally {
    await db.close();
  }
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping Farmhand…');
  // rqd first so its frames end while the dispatcher can still hear about them.
  for (const { child } of [...children].reverse()) child.kill('SIGTERM');
  const deadline = setTimeout(() => {
    for (const { child } of children) child.kill('SIGKILL');
  }, 10_000);
  await Promise.all(
    children.map(({ child }) => (child.exitCode !== null || child.signalCode ? null : new Promise((r) => child.once('exit', r)))),
  );
  clearTimeout(deadline);
  process.exit(code);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

try {
  fs.mkdirSync(settings.dataDir, { recursive: true });
  const { applied } = await migrate(settings.databaseUrl);
  if (applied.length > 0) console.log(`database: applied ${applied.join(', ')}`);
  const hostToken = resolveHostToken(settings.dataDir, settings.hostToken);
  const env = { FARMHAND_DATA_DIR: settings.dataDir, FARMHAND_HOST_TOKEN: hostToken, NEXT_TELEMETRY_DISABLED: '1' };
  const tsx = path.join(root, 'node_modules/.bin/tsx');

  // A larger young generation (V8's default is sized for short requests): a frame's objects live
  // as long as the frame, seconds, and with the default most of them outlived two scavenges and
  // were copied into the old generation — GC was a fifth of a busy farm's CPU (apps/dispatcher README).
  run('dispatcher', tsx, [YOUNG_GENERATION, 'apps/dispatcher/src/main.ts'], env);
  await waitFor(`${settings.dispatcherUrl}/health`, 'the dispatcher', 60_000);

  await ensureWebBuild(env);
  // Bound to loopback by default: local mode, the OS user is admin. Any other address needs sign-in.
  run('web', path.join(root, 'node_modules/.bin/next'), ['start', webDir, '-p', String(settings.webPort), '-H', settings.webHost], env);
  run('rqd', tsx, [YOUNG_GENERATION, 'apps/rqd/src/main.ts', '--dispatcher', settings.dispatcherUrl, '--single-user'], env);
  const probeHost = ['0.0.0.0', '::', '[::]'].includes(settings.webHost) ? '127.0.0.1' : settings.webHost;
  await waitFor(`http://${probeHost.includes(':') ? `[${probeHost}]` : probeHost}:${settings.webPort}/api/health`, 'the web app', 60_000);
  if (settings.authMode === 'required') await firstAdminOnce();
  const shown = settings.authMode === 'local' ? 'localhost' : probeHost;
  console.log(`\nFarmhand is running: open http://${shown}:${settings.webPort}  (Ctrl-C stops it)\n`);
} catch (e) {
  console.error(`farmhand: ${e instanceof Error ? e.message : String(e)}`);
  await stop(1);
}
