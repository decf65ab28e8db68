/**
 * What the browser benches share to run a stack by hand: free ports, and the processes they
 * start (stderr prefixed by name) and stop again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

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
