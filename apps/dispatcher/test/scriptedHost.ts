/**
 * A host that speaks the /rqd protocol by script, for the cases a real rqd never produces on
 * demand: a resent event, a completion out of order, a launch acknowledged but never started,
 * a report that leaves a frame out, malformed messages. The real rqd covers the ordinary life
 * of frames (lifecycle.int.test.ts); this covers what the dispatcher must survive.
 */
import {
  type Ack,
  DISPATCHER_EVENTS,
  type FrameExited,
  type FrameKill,
  type FrameLaunch,
  type HostRegister,
  type LaunchAnswer,
  RQD_EVENTS,
  RQD_NAMESPACE,
  type RunningFrame,
} from '@farmhand/contracts';
import { io, type Socket } from 'socket.io-client';

export interface ScriptedHostOptions {
  /** Answer launches with ok (default), or not at all. */
  answerLaunches?: boolean;
  cores?: number;
  memoryMb?: number;
}

export class ScriptedHost {
  readonly launches: FrameLaunch[] = [];
  /** How many frames each `frames:launch` message carried, in order. */
  readonly launchMessages: number[] = [];
  readonly kills: FrameKill[] = [];
  private seq = 1;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly socket: Socket,
    readonly name: string,
    private readonly options: ScriptedHostOptions,
  ) {
    socket.on(DISPATCHER_EVENTS.launch, (launches: FrameLaunch[], ack: (a: LaunchAnswer) => void) => {
      this.launches.push(...launches);
      this.launchMessages.push(launches.length);
      if (this.options.answerLaunches !== false) ack({ ok: true, results: launches.map(() => ({ ok: true })) });
      this.wake();
    });
    socket.on(DISPATCHER_EVENTS.kill, (kill: FrameKill) => {
      this.kills.push(kill);
      this.wake();
    });
  }

  static async connect(url: string, token: string, name: string, options: ScriptedHostOptions = {}): Promise<ScriptedHost> {
    const socket = io(`${url}${RQD_NAMESPACE}`, { auth: { token, hostName: name }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return new ScriptedHost(socket, name, options);
  }

  async register(running: RunningFrame[] = []): Promise<Ack<{ hostId: string }>> {
    const reg: HostRegister = {
      name: this.name,
      cores: this.options.cores ?? 4,
      memoryMb: this.options.memoryMb ?? 8192,
      swapMb: 0,
      gpus: 0,
      gpuMemoryMb: 0,
      tags: [],
      os: 'scripted',
      bootedAt: Date.now(),
      freeTempMb: 1000,
      load: 0,
      running,
    };
    return this.emit(RQD_EVENTS.register, reg);
  }

  report(running: RunningFrame[]): Promise<Ack> {
    return this.emit(RQD_EVENTS.report, { load: 0, freeMemoryMb: 4096, freeTempMb: 1000, running });
  }

  /** Sends a frame event with the next seq (or the one given, to resend). */
  event(event: string, payload: object, seq = this.seq++): Promise<Ack> {
    return this.emit(event, { ...payload, seq });
  }

  started(launch: FrameLaunch, seq?: number): Promise<Ack> {
    return this.event(
      RQD_EVENTS.started,
      { frameId: launch.frameId, attempt: launch.attempt, pid: 4242, startedAt: Date.now(), logPath: launch.logPath },
      seq,
    );
  }

  exited(launch: FrameLaunch, exit: Partial<FrameExited> = {}, seq?: number): Promise<Ack> {
    const now = Date.now();
    return this.event(
      RQD_EVENTS.exited,
      { frameId: launch.frameId, attempt: launch.attempt, exitStatus: 0, startedAt: now - 1000, stoppedAt: now, ...exit },
      seq,
    );
  }

  emit<T = object>(event: string, payload: unknown): Promise<Ack<T>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack<T>>;
  }

  /** Waits for the n-th launch (1-based) this host received. */
  nthLaunch(n: number, timeoutMs = 20_000): Promise<FrameLaunch> {
    return this.until(() => this.launches[n - 1], `launch #${n} on ${this.name}`, timeoutMs);
  }

  nthKill(n: number, timeoutMs = 20_000): Promise<FrameKill> {
    return this.until(() => this.kills[n - 1], `kill #${n} on ${this.name}`, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }

  private until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(value);
        return true;
      };
      const wake = () => void check();
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      if (!check()) this.waiters.push(wake);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
