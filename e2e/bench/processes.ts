/**
 * What the browser benches share to run a stack by hand: free ports, the processes they start
 * (stderr prefixed by name) and stop again, and a fresh stack (dispatcher and `next start` of the
 * production build) on its own data dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureWebBuild, webDir } from '../../scripts/webBuild';

export const root = path.resolve(import.meta.dirname, '../..');

/** A port free on 127.0.0.1 now (asked of the OS with port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const children: ChildProcess[] = [];

/** Starts a process of the stack; its stderr is printed as `name │ line`. */
export function start(name: string, command: string, args: string[], env: Record<string, string>, cwd = root): ChildProcess {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (b: Buffer) => {
    const text = b.toString().trim();
    if (text) process.stderr.write(`${name} │ ${text}\n`);
  });
  children.push(child);
  return child;
}

/** SIGTERM to every process started, resolved once all have exited. */
export async function stopAll(): Promise<void> {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
}

/** Polls `check` (errors count as not yet) every 250 ms until it holds, or throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

export interface BenchStack {
  dataDir: string;
  /** The stack's settings, for more processes of it (rqd). */
  env: Record<string, string>;
  web: string;
  dispatcher: string;
}

/**
 * A fresh stack on free ports and a new data dir (embedded SQLite): builds the web into
 * `.next-bench` when its sources changed, starts the dispatcher, waits for it, starts the web and
 * waits for its health. `extraEnv` adds settings; remove `dataDir` when done.
 */
export async function startStack(name: string, extraEnv: Record<string, string>, log: (line: string) => void): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `farmhand-bench-${name}-`));
  const [webPort, dispatcherPort] = [await freePort(), await freePort()];
  const env = {
    FARMHAND_DATA_DIR: dataDir,
    DATABASE_URL: '',
    PORT: String(webPort),
    FARMHAND_DISPATCHER_PORT: String(dispatcherPort),
    FARMHAND_HOST_TOKEN: `bench-${name}-host-token-0123456789`,
    FARMHAND_WEB_DIST_DIR: '.next-bench',
    NEXT_TELEMETRY_DISABLED: '1',
    FARMHAND_LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const web = `http://127.0.0.1:${webPort}`;
  const dispatcher = `http://127.0.0.1:${dispatcherPort}`;
  try {
    await ensureWebBuild(env, log);
    start('dispatcher', path.join(root, 'node_modules/.bin/tsx'), ['apps/dispatcher/src/main.ts'], env);
    await waitFor('the dispatcher', async () => (await fetch(`${dispatcher}/health`)).ok);
    start('web', path.join(root, 'node_modules/.bin/next'), ['start', webDir, '-p', String(webPort)], env);
    await waitFor('the web app', async () => (await fetch(`${web}/api/health`)).ok);
  } catch (error) {
    await stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return { dataDir, env, web, dispatcher };
}
