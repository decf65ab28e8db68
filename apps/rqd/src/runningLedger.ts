/**
 * Which frame processes this host started, on disk, so that an rqd that crashed or was restarted
 * finds the frames it lost track of: still running, they are killed (nothing may run that no rqd
 * watches or reports); either way their end is reported, since the dispatcher still thinks them
 * running. Real hosts only: simulated frames have no processes.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RQD_EVENTS } from '@farmhand/contracts';
import { logFooter, logNote } from './logLayout';
import type { Outbox } from './outbox';
import { frameProcesses, readAllProcesses, readProcess, signalProcesses } from './processTree';

export interface LedgerEntry {
  frameId: number;
  attempt: number;
  pid: number;
  /** Start time of the pid, so a reused pid is never mistaken for the frame. */
  startTicks: number;
  startedAt: number;
  logFile: string;
}

export class RunningLedger {
  private readonly file: string;
  private readonly entries = new Map<string, LedgerEntry>();

  constructor(dir: string) {
    this.file = path.join(dir, 'running.json');
  }

  /** What the previous rqd left running, read once at start. */
  previous(): LedgerEntry[] {
    if (!existsSync(this.file)) return [];
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as LedgerEntry[];
    } catch {
      return [];
    }
  }

  add(entry: Omit<LedgerEntry, 'startTicks'>): void {
    const startTicks = readProcess(entry.pid)?.startTicks;
    if (startTicks === undefined) return;
    this.entries.set(`${entry.frameId}.${entry.attempt}`, { ...entry, startTicks });
    this.save();
  }

  remove(frameId: number, attempt: number): void {
    if (this.entries.delete(`${frameId}.${attempt}`)) this.save();
  }

  save(): void {
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify([...this.entries.values()]));
    renameSync(temp, this.file);
  }
}

/** Kills what is left of each lost frame (SIGKILL: no rqd is there to wait out a grace) and reports its end. */
export function endLostFrames(lost: readonly LedgerEntry[], outbox: Outbox): number {
  const all = readAllProcesses();
  for (const entry of lost) {
    const root = readProcess(entry.pid);
    const alive = root?.startTicks === entry.startTicks;
    const group = all.filter((p) => p.pgid === entry.pid);
    const processes = alive ? frameProcesses(all, entry.pid) : group;
    if (alive || group.length > 0) signalProcesses(entry.pid, processes, 'SIGKILL');
    const message = 'rqd restarted while the frame ran, so it was stopped; it can run again';
    const exit = {
      frameId: entry.frameId,
      attempt: entry.attempt,
      exitStatus: 137,
      exitSignal: 'SIGKILL',
      reason: 'KILLED' as const,
      message,
      startedAt: entry.startedAt,
      stoppedAt: Date.now(),
      maxRssMb: 0,
      cpuSeconds: 0,
    };
    appendToLog(entry, outbox, logNote(message) + logFooter(exit));
    outbox.push({ event: RQD_EVENTS.exited, payload: exit });
  }
  return lost.length;
}

function appendToLog(entry: LedgerEntry, outbox: Outbox, text: string): void {
  try {
    const offset = statSync(entry.logFile).size;
    appendFileSync(entry.logFile, text);
    const length = Buffer.byteLength(text);
    outbox.push({
      event: RQD_EVENTS.log,
      payload: { frameId: entry.frameId, attempt: entry.attempt, offset, length, file: entry.logFile, data: text },
    });
  } catch {
    // the log is gone; the exit still goes out
  }
}
