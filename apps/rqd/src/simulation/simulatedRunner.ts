/**
 * A frame that only pretends to run: it writes a real log (header, progress lines, footer),
 * reports growing RSS and CPU time, and ends after a drawn runtime — succeeding, failing with
 * exit status 1, or growing past its memory limit into a MEMORY_KILL — as the simulation's
 * distributions and seed decide. Kills work as on a real host.
 */
import type { FrameExited, FrameLaunch } from '@farmhand/contracts';
import type { FrameRun, FrameRunContext, FrameUsage, KillReason, StartFrame } from '../frameRun';
import { logFooter, logHeader, logNote } from '../logLayout';
import type { SimulationOptions } from '../options';
import { generator, normal, seedFor } from './random';

type Outcome = 'succeed' | 'fail' | 'oom';

let nextVirtualPid = 100_000;

export function simulatedRunner(options: SimulationOptions, memoryKillFactor: number): StartFrame {
  return (launch, context) => new SimulatedFrame(launch, context, options, memoryKillFactor);
}

class SimulatedFrame implements FrameRun {
  readonly pid = nextVirtualPid++;
  readonly startedAt = Date.now();
  readonly exited: Promise<FrameExited>;
  private resolveExit!: (exit: FrameExited) => void;
  private readonly runtimeMs: number;
  private readonly peakRssMb: number;
  private readonly outcome: Outcome;
  private readonly timers: NodeJS.Timeout[] = [];
  private done = false;

  constructor(
    readonly launch: FrameLaunch,
    private readonly context: FrameRunContext,
    options: SimulationOptions,
    private readonly memoryKillFactor: number,
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
    const random = generator(seedFor(options.seed, launch.frameId, launch.attempt));
    const draw = random();
    this.outcome = draw < options.oomRate ? 'oom' : draw < options.oomRate + options.failureRate ? 'fail' : 'succeed';
    this.runtimeMs = normal(random, options.runtimeS.mean, options.runtimeS.spread, 0.05) * 1000;
    const fraction = normal(random, options.peakRssFraction.mean, options.peakRssFraction.spread, 0.05);
    this.peakRssMb = this.outcome === 'oom' ? launch.memoryMb * memoryKillFactor * 1.25 : launch.memoryMb * Math.min(fraction, 1.5);
    this.start();
  }

  usage(): FrameUsage {
    const progress = Math.min(1, (Date.now() - this.startedAt) / this.runtimeMs);
    const rssMb = this.peakRssMb * progress;
    return { rssMb, maxRssMb: rssMb, cpuSeconds: ((Date.now() - this.startedAt) / 1000) * this.launch.cores };
  }

  kill(reason: KillReason, message: string): void {
    if (this.done) return;
    this.context.log.note(logNote(`stopping the frame: ${message}`));
    this.finish(143, 'SIGTERM', reason, message);
  }

  private start(): void {
    const { launch, context } = this;
    context.log.note(
      logHeader(launch, {
        hostName: context.hostName,
        command: launch.command,
        userName: launch.user,
        uid: 0,
        workingDirectory: '/simulated',
        variables: { FARMHAND_SIMULATED: '1' },
        startedAt: this.startedAt,
      }),
    );
    const steps = 4;
    for (let i = 1; i <= steps; i++) {
      this.timers.push(
        setTimeout(() => context.log.output(Buffer.from(`simulated render ${(i * 100) / steps}%\n`)), (this.runtimeMs * i) / (steps + 1)),
      );
    }
    if (this.outcome === 'oom') {
      // Reaches the limit (factor × booking) at 80% of its runtime, as a real leak would.
      const limitMb = this.launch.memoryMb * this.memoryKillFactor;
      const message = `memory ${this.peakRssMb.toFixed(0)} MB is over the limit of ${limitMb.toFixed(0)} MB (${this.memoryKillFactor}× the ${launch.memoryMb} MB booked); book more memory for this layer`;
      this.timers.push(setTimeout(() => this.kill('MEMORY_KILL', message), this.runtimeMs * 0.8));
    } else {
      this.timers.push(setTimeout(() => this.finish(this.outcome === 'fail' ? 1 : 0, null), this.runtimeMs));
    }
  }

  private finish(exitStatus: number, exitSignal: string | null, reason?: KillReason, message?: string): void {
    if (this.done) return;
    this.done = true;
    for (const timer of this.timers) clearTimeout(timer);
    const usage = this.usage();
    const exit: FrameExited = {
      frameId: this.launch.frameId,
      attempt: this.launch.attempt,
      exitStatus,
      exitSignal,
      reason: reason ?? 'EXITED',
      message,
      startedAt: this.startedAt,
      stoppedAt: Date.now(),
      maxRssMb: Math.round(usage.maxRssMb * 10) / 10,
      cpuSeconds: Math.round(usage.cpuSeconds * 10) / 10,
    };
    this.context.log.note(logFooter(exit));
    this.context.log.close();
    this.resolveExit(exit);
  }
}
