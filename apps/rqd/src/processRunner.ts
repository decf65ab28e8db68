/**
 * Runs a frame as a real process tree: `/bin/sh -c <command>` in its own process group, as the
 * frame's user, output into the attempt's log. Watches the whole tree each sample and stops it
 * over its memory limit, past its timeout or past the log cap. A kill is SIGTERM to every
 * process of the frame, then SIGKILL after the grace period; when the frame's first process
 * ends, whatever it left behind is killed too, so nothing of a frame outlives it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import type { FrameExited, FrameLaunch } from '@farmhand/contracts';
import { expandCommand, tokenValues } from './commandTokens';
import { frameEnvironment, frameVariables } from './frameEnvironment';
import type { FrameRun, FrameRunContext, FrameUsage, KillReason, StartFrame } from './frameRun';
import { type FrameUser, frameUser, shellInvocation, workingDirectory } from './frameUser';
import { logFooter, logHeader, logNote } from './logLayout';
import type { ProcessSampler } from './processSampler';
import { frameProcesses, type ProcessInfo, readAllProcesses, signalProcesses } from './processTree';

export interface ProcessRunnerOptions {
  sampler: ProcessSampler;
  /** A frame is killed when its tree's RSS passes this multiple of its booked memory. */
  memoryKillFactor: number;
  killGraceMs: number;
  /** Run every frame as rqd's own user even when rqd is root. */
  singleUser: boolean;
  /** The environment frames inherit (rqd's, by default). */
  baseEnv?: NodeJS.ProcessEnv;
}

const MB = 1024 * 1024;

export function processRunner(options: ProcessRunnerOptions): StartFrame {
  return (launch, context) => new ProcessFrame(launch, context, options);
}

class ProcessFrame implements FrameRun {
  readonly startedAt = Date.now();
  readonly exited: Promise<FrameExited>;
  pid: number | undefined;
  private child: ChildProcess | undefined;
  private resolveExit!: (exit: FrameExited) => void;
  private current: FrameUsage = { rssMb: 0, maxRssMb: 0, cpuSeconds: 0 };
  /** Every process seen in the frame, keyed by pid and start time, so a setsid escapee is still found. */
  private readonly seen = new Map<string, ProcessInfo>();
  private killReason: { reason: KillReason; message: string } | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly launch: FrameLaunch,
    private readonly context: FrameRunContext,
    private readonly options: ProcessRunnerOptions,
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
    this.start();
  }

  usage(): FrameUsage {
    return { ...this.current };
  }

  kill(reason: KillReason, message: string): void {
    if (this.killReason || !this.child) return;
    this.killReason = { reason, message };
    this.context.log.note(logNote(`stopping the frame: ${message}`));
    this.signalAll('SIGTERM');
    this.graceTimer = setTimeout(() => this.signalAll('SIGKILL'), this.options.killGraceMs);
  }

  onSample(all: readonly ProcessInfo[]): void {
    if (this.pid === undefined) return;
    const tree = frameProcesses(all, this.pid);
    for (const p of tree) this.seen.set(`${p.pid}:${p.startTicks}`, p);
    const rssMb = tree.reduce((sum, p) => sum + p.rssBytes, 0) / MB;
    const cpuSeconds = Math.max(
      this.current.cpuSeconds,
      tree.reduce((sum, p) => sum + p.cpuSeconds, 0),
    );
    this.current = { rssMb, maxRssMb: Math.max(this.current.maxRssMb, rssMb), cpuSeconds };
    const limitMb = this.launch.memoryMb * this.options.memoryKillFactor;
    if (rssMb > limitMb) {
      this.kill(
        'MEMORY_KILL',
        `memory ${rssMb.toFixed(0)} MB is over the limit of ${limitMb.toFixed(0)} MB (${this.options.memoryKillFactor}× the ${this.launch.memoryMb} MB booked); book more memory for this layer`,
      );
    }
  }

  private start(): void {
    const { launch, context } = this;
    let user: FrameUser;
    try {
      user = frameUser(launch.user, this.options.singleUser);
    } catch (error) {
      this.failLaunch(error instanceof Error ? error.message : String(error));
      return;
    }
    const command = expandCommand(launch.command, tokenValues(launch, dirnameOf(context.logFile)));
    const variables = frameVariables(launch, context.logFile, user);
    const cwd = workingDirectory(user);
    context.log.note(
      logHeader(launch, {
        hostName: context.hostName,
        command,
        userName: user.name,
        uid: user.uid,
        workingDirectory: cwd,
        variables,
        startedAt: this.startedAt,
      }),
    );
    const { file, args } = shellInvocation(command, user);
    const child = spawn(file, args, {
      cwd,
      env: frameEnvironment(this.options.baseEnv ?? process.env, variables),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) {
      child.once('error', (error) => this.failLaunch(`could not start /bin/sh: ${error.message}`));
      return;
    }
    this.child = child;
    this.pid = child.pid;
    this.options.sampler.add(this);
    const onOutput = (data: Buffer) => {
      if (!context.log.output(data)) this.kill('LOG_CAP', 'the log passed its cap; the frame writes too much output');
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    if (launch.timeoutMinutes !== undefined) {
      this.timeoutTimer = setTimeout(
        () => this.kill('TIMEOUT', `the frame ran past the layer's timeout of ${launch.timeoutMinutes} minutes`),
        launch.timeoutMinutes * 60_000,
      );
    }
    child.once('exit', (code, signal) => this.onExit(code, signal));
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(this.timeoutTimer);
    clearTimeout(this.graceTimer);
    this.options.sampler.remove(this);
    // The frame is over: anything it left running (background jobs, daemons) goes with it.
    const leftovers = this.liveProcesses();
    if (leftovers.length > 0) {
      this.signalAll('SIGKILL');
      this.context.log.note(logNote(`killed ${leftovers.length} process(es) the frame left running`));
    }
    const finish = () => {
      const exit = this.exitRecord(code, signal);
      this.context.log.note(logFooter(exit));
      this.context.log.close();
      this.resolveExit(exit);
    };
    const child = this.child!;
    if (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) finish();
    else {
      // Wait for the last output, but not forever: an escaped process may hold the pipe open.
      const bound = setTimeout(finish, this.options.killGraceMs);
      child.once('close', () => {
        clearTimeout(bound);
        finish();
      });
    }
  }

  private exitRecord(code: number | null, signal: NodeJS.Signals | null): FrameExited {
    const signalNumber = signal ? (os.constants.signals[signal] ?? 0) : 0;
    const killed = this.killReason;
    return {
      frameId: this.launch.frameId,
      attempt: this.launch.attempt,
      exitStatus: code ?? 128 + signalNumber,
      exitSignal: signal,
      reason: killed ? killed.reason : signal ? 'SIGNALED' : 'EXITED',
      message: killed?.message,
      startedAt: this.startedAt,
      stoppedAt: Date.now(),
      maxRssMb: round1(this.current.maxRssMb),
      cpuSeconds: round1(this.current.cpuSeconds),
    };
  }

  /** The frame's processes alive now, including escapees seen earlier (same pid and start time). */
  private liveProcesses(): ProcessInfo[] {
    if (this.pid === undefined) return [];
    const all = readAllProcesses();
    const live = new Map(frameProcesses(all, this.pid).map((p) => [`${p.pid}:${p.startTicks}`, p]));
    for (const p of all) {
      const key = `${p.pid}:${p.startTicks}`;
      if (this.seen.has(key)) live.set(key, p);
    }
    return [...live.values()];
  }

  private signalAll(signal: NodeJS.Signals): void {
    if (this.pid !== undefined) signalProcesses(this.pid, this.liveProcesses(), signal);
  }

  private failLaunch(message: string): void {
    const now = Date.now();
    this.context.log.note(logNote(`the frame could not start: ${message}`));
    const exit: FrameExited = {
      frameId: this.launch.frameId,
      attempt: this.launch.attempt,
      exitStatus: -1,
      exitSignal: null,
      reason: 'LAUNCH_FAILED',
      message,
      startedAt: this.startedAt,
      stoppedAt: now,
      maxRssMb: 0,
      cpuSeconds: 0,
    };
    this.context.log.note(logFooter(exit));
    this.context.log.close();
    this.resolveExit(exit);
  }
}

function dirnameOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/')) || '/';
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
