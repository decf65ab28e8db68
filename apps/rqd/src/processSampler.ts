/**
 * One reading of /proc per interval shared by every running frame on the host, rather than one
 * per frame: the readings are what usage reports, memory kills and the final footer rely on.
 */
import { type ProcessInfo, readAllProcesses } from './processTree';

export interface Sampled {
  onSample(all: readonly ProcessInfo[]): void;
}

export class ProcessSampler {
  private readonly members = new Set<Sampled>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {}

  add(member: Sampled): void {
    this.members.add(member);
    this.timer ??= setInterval(() => this.sampleNow(), this.intervalMs);
  }

  remove(member: Sampled): void {
    this.members.delete(member);
    if (this.members.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  sampleNow(): void {
    if (this.members.size === 0) return;
    const all = readAllProcesses();
    for (const member of this.members) member.onSample(all);
  }
}
