/**
 * How much someone is using this machine, between two readings: keyboard and mouse interrupts,
 * and the cores busy with anything that is not a frame (all busy CPU from /proc/stat minus the
 * frames' own CPU time). NIMBY decides on these.
 */
import { readFileSync } from 'node:fs';
import type { FrameHost } from './frameHost';
import { TICKS_PER_SECOND } from './systemConstants';

export interface Activity {
  input: boolean;
  /** Cores used outside the farm since the previous reading. */
  desktopCores: number;
}

export interface ActivitySource {
  read(): Activity;
}

interface Reading {
  at: number;
  busyTicks: number;
  frameCpuSeconds: number;
  inputInterrupts: number;
}

export class DesktopActivity implements ActivitySource {
  private previous: Reading;

  constructor(private readonly host: FrameHost) {
    this.previous = this.reading();
  }

  read(): Activity {
    const now = this.reading();
    const seconds = Math.max(0.001, (now.at - this.previous.at) / 1000);
    const busyCores = (now.busyTicks - this.previous.busyTicks) / TICKS_PER_SECOND / seconds;
    const frameCores = Math.max(0, now.frameCpuSeconds - this.previous.frameCpuSeconds) / seconds;
    const activity = { input: now.inputInterrupts !== this.previous.inputInterrupts, desktopCores: Math.max(0, busyCores - frameCores) };
    this.previous = now;
    return activity;
  }

  private reading(): Reading {
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
        if (!Number.isInteger(n)) break;
        total += n;
      }
    }
    return total;
  } catch {
    return 0;
  }
}
