/**
 * A farm of processes for the tests that kill things: the dispatcher as its own process (so it
 * can be killed with SIGKILL and started again on the same port and database) and simulated
 * hosts (`rqd --simulate`). Tests store commands as the web does and read the database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CommandInput, CommandResult } from '@farmhand/contracts';
import { type Database, ensureLocalFarm, openDatabase } from '@farmhand/db';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const PROCESS_TOKEN = 'process-farm-token-0123456789';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `probe` answers truthy; probes that throw count as not yet. */
export async function until<T>(probe: () => Promise<T | false | null | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface DispatcherProcess {
  child: ChildProcess;
  url: string;
  /** Resolves once /health answers with this state ('active' or 'standby'). */
  ready(state?: 'active' | 'standby'): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export class ProcessFarm {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-procs-'));
  readonly db: Database;
  private readonly children: ChildProcess[] = [];

  constructor(
    readonly databaseUrl: string,
    private readonly env: Record<string, string> = {},
  ) {
    this.db = openDatabase(databaseUrl);
  }

  async prepare(): Promise<void> {
    await ensureLocalFarm(this.db.prisma);
  }

  /** Starts a dispatcher process on `port`; `name` keeps its log apart from another's. */
  startDispatcher(port: number, name = 'dispatcher', env: Record<string, string> = {}): DispatcherProcess {
    const log = fs.openSync(path.join(this.dataDir, `${name}.log`), 'a');
    const child = this.spawn(
      'apps/dispatcher/src/main.ts',
      [],
      {
        DATABASE_URL: this.databaseUrl,
        FARMHAND_DATA_DIR: path.join(this.dataDir, name),
        FARMHAND_HOST_TOKEN: PROCESS_TOKEN,
        FARMHAND_DISPATCHER_PORT: String(port),
        FARMHAND_LOG_LEVEL: 'warn',
        ...this.env,
        ...env,
      },
      log,
    );
    const url = `http://127.0.0.1:${port}`;
    return {
      child,
      url,
      ready: async (state = 'active') => {
        await until(async () => {
          if (child.exitCode !== null) throw new Error(`the dispatcher exited with ${child.exitCode}; see ${this.dataDir}/${name}.log`);
          const health = (await (await fetch(`${url}/health`)).json()) as { state: string };
          return health.state === state;
        }, `the dispatcher on ${url} to be ${state}`).catch((e) => {
          if (child.exitCode !== null) throw new Error(`the dispatcher exited with ${child.exitCode}; see ${this.dataDir}/${name}.log`);
          throw e;
        });
      },
      kill9: () => kill(child, 'SIGKILL'),
      stop: () => kill(child, 'SIGTERM'),
    };
  }

  /** `rqd --simulate hosts`: simulated hosts, each with its own socket, journal and reports. */
  startSimulatedHosts(dispatcherUrl: string, hosts: number, extra: string[] = []): ChildProcess {
    const log = fs.openSync(path.join(this.dataDir, 'rqd.log'), 'a');
    return this.spawn(
      'apps/rqd/src/main.ts',
      [
        '--dispatcher',
        dispatcherUrl,
        '--token',
        PROCESS_TOKEN,
        '--name',
        'sim',
        '--simulate',
        String(hosts),
        '--log-root',
        path.join(this.dataDir, 'logs'),
        '--spool-dir',
        path.join(this.dataDir, 'spool'),
        '--report-interval',
        '0.5',
        ...extra,
      ],
      { FARMHAND_LOG_LEVEL: 'warn' },
      log,
    );
  }

  async command(url: string, cmd: CommandInput, user = 'alice'): Promise<CommandResult> {
    const row = await this.db.prisma.command.create({
      data: { user, kind: cmd.kind, targetType: cmd.targetType, targetId: cmd.targetId, args: JSON.stringify(cmd.args ?? {}) },
    });
    const res = await fetch(`${url}/commands/${row.id}/apply`, { method: 'POST' });
    return (await res.json()) as CommandResult;
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => kill(c, 'SIGTERM')));
    await this.db.close();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private spawn(script: string, args: string[], env: Record<string, string>, log: number): ChildProcess {
    // node itself (not the tsx wrapper), so that signals reach the process under test.
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', log, log],
    });
    this.children.push(child);
    return child;
  }
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
