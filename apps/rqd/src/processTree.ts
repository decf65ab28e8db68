/**
 * The processes of a frame, read straight from /proc: every process in the frame's process
 * group plus every descendant of its first process (a child that called setsid leaves the
 * group but not the family). Used to add up a frame's usage and to kill all of it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { PAGE_SIZE_BYTES, TICKS_PER_SECOND } from './systemConstants';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Clock ticks since boot when the process started; with the pid it names one process even after pid reuse. */
  startTicks: number;
  rssBytes: number;
  /** Own CPU plus that of reaped children, in seconds. */
  cpuSeconds: number;
}

/** One process's stat line; undefined when the process is gone or unreadable. */
export function readProcess(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  if (fields[0] === 'Z') return undefined; // a zombie uses nothing and cannot be killed
  return {
    pid,
    ppid: field(4),
    pgid: field(5),
    startTicks: field(22),
    rssBytes: field(24) * PAGE_SIZE_BYTES,
    cpuSeconds: (field(14) + field(15) + field(16) + field(17)) / TICKS_PER_SECOND,
  };
}

/** Every live process on the host, one read of /proc. */
export function readAllProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const info = readProcess(pid);
    if (info) out.push(info);
  }
  return out;
}

/** The frame's processes among `all`: its group, and the descendants of its root pid. */
export function frameProcesses(all: readonly ProcessInfo[], rootPid: number): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of all) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const found = new Map<number, ProcessInfo>();
  for (const p of all) if (p.pgid === rootPid) found.set(p.pid, p);
  const stack = [rootPid, ...found.keys()];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    for (const child of children.get(pid) ?? []) {
      if (found.has(child.pid)) continue;
      found.set(child.pid, child);
      stack.push(child.pid);
    }
  }
  const root = all.find((p) => p.pid === rootPid);
  if (root) found.set(root.pid, root);
  return [...found.values()];
}

/** Sends `signal` to the group and to each process; processes already gone are fine. */
export function signalProcesses(pgid: number, processes: Iterable<{ pid: number }>, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is empty
  }
  for (const p of processes) {
    try {
      process.kill(p.pid, signal);
    } catch {
      // already gone
    }
  }
}
