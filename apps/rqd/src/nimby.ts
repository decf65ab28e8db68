/**
 * NIMBY ("not in my back yard") for desktop hosts: when someone uses the workstation — keyboard
 * or mouse interrupts, or CPU used by processes that are not frames above a threshold — the host
 * locks itself NIMBY_LOCKED, stops its frames (reported as NIMBY, which the dispatcher hands
 * back without counting a failure) and refuses launches until the machine has been idle for
 * the configured time.
 */
import { readFileSync } from 'node:fs';
import type { LinkLogger } from './dispatcherLink';
import type { FrameHost } from './frameHost';
import type { NimbyOptions } from './options';
import { TICKS_PER_SECOND } from './systemConstants';

interface CpuReading {
  at: number;
  busyTicks: number;
  frameCpuSeconds: number;
  inputInterrupts: number;
}

export class NimbyWatch {
  locked = false;
  private lastActivity = 0;
  private previous: CpuReading;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly options: NimbyOptions,
    private readonly host: FrameHost,
    private readonly onChange: () => void,
    private readonly log: LinkLogger,
  ) {
    this.previous = this.read();
    this.timer = setInterval(() => this.check(), options.checkIntervalS * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reads the machine and locks or unlocks; exposed so tests and callers need not wait a tick. */
  check(): void {
    const now = this.read();
    const seconds = (now.at - this.previous.at) / 1000;
    if (seconds <= 0) return;
    const busyCores = (now.busyTicks - this.previous.busyTicks) / TICKS_PER_SECOND / seconds;
    const frameCores = Math.max(0, now.frameCpuSeconds - this.previous.frameCpuSeconds) / seconds;
    const desktopCores = busyCores - frameCores;
    const input = now.inputInterrupts !== this.previous.inputInterrupts;
    this.previous = now;
    if (input || desktopCores > this.options.loadThreshold) {
      this.lastActivity = now.at;
      if (!this.locked) this.lock(input ? 'keyboard or mouse input' : `${desktopCores.toFixed(1)} cores used outside the farm`);
    } else if (this.locked && now.at - this.lastActivity >= this.options.idleS * 1000) {
      this.locked = false;
      this.host.setLock(undefined);
      this.log.info(`NIMBY: the desktop has been idle for ${this.options.idleS} s; host open to the farm again`);
      this.onChange();
    }
  }

  private lock(why: string): void {
    this.locked = true;
    const reason = `someone is using this desktop (${why})`;
    this.host.setLock(reason);
    this.log.info(`NIMBY locked: ${reason}; stopping its frames`);
    this.onChange();
    void this.host.killAll('NIMBY', reason);
  }

  private read(): CpuReading {
    return {
      at: Date.now(),
      busyTicks: busyTicks(),
      frameCpuSeconds: this.host.runningFrames().reduce((sum, f) => sum + f.cpuSeconds, 0) + this.host.finishedCpuSeconds,
      inputInterrupts: inputInterrupts(),
    };
  }
}

/** CPU ticks spent on anything but idle and iowait, all CPUs, since boot. */
function busyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return [user, nice, system, irq, softirq, steal].reduce<number>((sum, n) => sum + (n ?? 0), 0);
}

/** Interrupts from keyboard and mouse controllers (i8042, HID); 0 where there are none (VMs). */
function inputInterrupts(): number {
  try {
    let total = 0;
    for (const line of readFileSync('/proc/interrupts', 'utf8').split('\n')) {
      if (!/i8042|hid|keyboard|mouse/i.test(line)) continue;
      for (const field of line.trim().split(/\s+/).slice(1)) {
        const n = Number(field);
        if (Number.isInteger(n)) total += n;
        else break;
      }
    }
    return total;
  } catch {
    return 0;
  }
}
