/**
 * Load figure for `--simulate N`: starts the test dispatcher here and `rqd --simulate N` as its
 * own process, waits for every host to register, keeps every host's 4 cores busy with ~2 s
 * frames for a while, and prints the simulator's CPU and memory and the events delivered.
 * Run: npx tsx apps/rqd/bench/simulation.bench.ts [hosts] [seconds]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ProcessInfo, readProcess } from '../src/processTree';
import { launchMessage } from '../test/support/builders';
import { TestDispatcher } from '../test/support/testDispatcher';

const hosts = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 20);
const token = 'bench-token';
const dispatcher = await TestDispatcher.start(token);
const dir = mkdtempSync(path.join(os.tmpdir(), 'rqd-bench-'));
const tsx = path.resolve(import.meta.dirname, '../../../node_modules/.bin/tsx');
const main = path.resolve(import.meta.dirname, '../src/main.ts');
const args = ['--dispatcher', dispatcher.url, '--token', token, '--name', 'bench', '--simulate', String(hosts)];
args.push(
  '--cores',
  '4',
  '--memory-mb',
  '16384',
  '--sim-runtime',
  '2:0.5',
  '--log-root',
  path.join(dir, 'logs'),
  '--spool-dir',
  path.join(dir, 'spool'),
);
const started = Date.now();
const sim = spawn(tsx, [main, ...args], { stdio: 'inherit', env: { ...process.env, FARMHAND_LOG_LEVEL: 'error' } });

/** The simulator and its children (tsx runs main.ts in a child node). */
function simulatorTree(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  const stack = [sim.pid!];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const info = readProcess(pid);
    if (info) out.push(info);
    try {
      stack.push(...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // gone
    }
  }
  return out;
}

const names = Array.from({ length: hosts }, (_, i) => `bench-sim-${String(i + 1).padStart(String(hosts).length, '0')}`);
await Promise.all(names.map((n) => dispatcher.hostSocket(n)));
const registeredMs = Date.now() - started;

const busy = new Map<number, string>();
let frameId = 1;
let launched = 0;
let exits = 0;
const launchOn = (host: string) => {
  const frame = launchMessage({ frameId: frameId++, frames: [frameId], command: 'render', memoryMb: 1024 });
  busy.set(frame.frameId, host);
  launched++;
  void dispatcher.launch(host, frame);
};
const benchStart = Date.now();
const cpuBefore = simulatorTree().reduce((s, p) => s + p.cpuSeconds, 0);
dispatcher.onApplied = (applied) => {
  if (applied.event !== 'frame:exited') return;
  exits++;
  const host = busy.get(applied.payload.frameId);
  busy.delete(applied.payload.frameId);
  if (host && Date.now() - benchStart < seconds * 1000) launchOn(host);
};
for (const host of names) for (let i = 0; i < 4; i++) launchOn(host);
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const elapsed = (Date.now() - benchStart) / 1000;
const tree = simulatorTree();
const cpu = tree.reduce((s, p) => s + p.cpuSeconds, 0) - cpuBefore;
const rssMb = tree.reduce((s, p) => s + p.rssBytes, 0) / 1048576;
console.log(
  JSON.stringify({
    hosts,
    registeredMs,
    seconds: elapsed,
    framesLaunched: launched,
    framesExited: exits,
    eventsApplied: dispatcher.applied.length,
    duplicates: dispatcher.duplicates,
    simulatorCores: +(cpu / elapsed).toFixed(3),
    simulatorRssMb: Math.round(rssMb),
  }),
);
const simExited = new Promise((resolve) => sim.once('exit', resolve));
sim.kill('SIGTERM'); // tsx passes SIGTERM on to the node running main.ts; SIGKILL would orphan it
await simExited;
await dispatcher.close();
process.exit(0);
