/**
 * What rqd stops and why: memory past the hard limit, the layer's timeout, the log cap; what it
 * measures (usage in reports and the footer); and who frames run as.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rqd, type RqdOptions, startRqd } from '../src/index';
import { launchMessage, rqdOptions } from './support/builders';
import { TestDispatcher } from './support/testDispatcher';

const TOKEN = 'limits-token';
let dispatcher: TestDispatcher;
const daemons: Rqd[] = [];

beforeAll(async () => {
  dispatcher = await TestDispatcher.start(TOKEN);
});

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop()));
  await dispatcher.close();
});

async function daemon(overrides: Partial<RqdOptions> = {}): Promise<Rqd> {
  const rqd = startRqd(rqdOptions(dispatcher.url, TOKEN, overrides));
  daemons.push(rqd);
  await dispatcher.hostSocket(rqd.hostName);
  return rqd;
}

async function run(rqd: Rqd, overrides: Parameters<typeof launchMessage>[0]) {
  const frame = launchMessage(overrides);
  expect(await dispatcher.launch(rqd.hostName, frame)).toEqual({ ok: true });
  const exit = await dispatcher.exitOf(frame.frameId, frame.attempt);
  const log = readFileSync(path.join(rqd.logRoot, frame.logPath), 'utf8');
  return { frame, exit, log };
}

/** Allocates and touches `stepMb` every 50 ms, up to `maxMb`, then waits to be killed. */
const GREEDY = (stepMb: number, maxMb: number) =>
  `node -e "const k=[];const t=setInterval(()=>{k.push(Buffer.alloc(${stepMb}*1048576,1));if(k.length*${stepMb}>=${maxMb})clearInterval(t)},50);setTimeout(()=>{},600000)"`;

describe('kills rqd makes on its own', () => {
  it('a frame allocating far past its booking is killed as a memory kill at 2× the booking', async () => {
    const rqd = await daemon();
    const { exit, log } = await run(rqd, { memoryMb: 100, command: GREEDY(20, 4000) });
    expect(exit.reason).toBe('MEMORY_KILL');
    expect(exit.message).toMatch(/over the limit of 200 MB \(2× the 100 MB booked\)/);
    expect(exit.maxRssMb).toBeGreaterThan(200);
    expect(exit.maxRssMb).toBeLessThan(1500);
    expect(log).toContain('[rqd] stopping the frame: memory');
    expect(log).toContain('reason:      MEMORY_KILL');
  });

  it('the memory limit is a configurable multiple of the booking', async () => {
    const rqd = await daemon({ memoryKillFactor: 3 });
    const { exit } = await run(rqd, { memoryMb: 100, command: GREEDY(20, 4000) });
    expect(exit.reason).toBe('MEMORY_KILL');
    expect(exit.message).toMatch(/limit of 300 MB \(3× the 100 MB booked\)/);
  });

  it('a frame past its layer’s timeout (fractions of a minute allowed) is killed as TIMEOUT', async () => {
    const rqd = await daemon();
    const started = Date.now();
    const { exit, log } = await run(rqd, { timeoutMinutes: 0.02, command: 'echo waiting; sleep 300' });
    expect(exit.reason).toBe('TIMEOUT');
    expect(exit.exitSignal).toBe('SIGTERM');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
    expect(log).toContain("the frame ran past the layer's timeout of 0.02 minutes");
  });

  it('a frame that ignores SIGTERM is SIGKILLed after the grace period', async () => {
    const rqd = await daemon({ killGraceS: 0.5 });
    const { exit } = await run(rqd, { timeoutMinutes: 0.01, command: 'trap "" TERM; echo stubborn; while :; do sleep 0.1; done' });
    expect(exit.reason).toBe('TIMEOUT');
    expect(exit.exitSignal).toBe('SIGKILL');
  });

  it('a frame writing past the log cap is killed as LOG_CAP and its log ends at the cap', async () => {
    const cap = 64 * 1024;
    const rqd = await daemon({ logCapBytes: cap });
    const { exit, log } = await run(rqd, { command: 'yes "a line of far too much output"' });
    expect(exit.reason).toBe('LOG_CAP');
    const output = log.split('==== output ====\n')[1]?.split('\n[rqd] stopping the frame')[0] ?? '';
    expect(Buffer.byteLength(output)).toBe(cap);
    expect(dispatcher.logOf(exit.frameId, exit.attempt)).toBe(log);
  });
});

describe('usage', () => {
  it('reports carry each running frame’s RSS and CPU time, and the footer the peak and total', async () => {
    const rqd = await daemon();
    const frame = launchMessage({
      command: `node -e "const b=Buffer.alloc(80*1048576,1);const end=Date.now()+1500;while(Date.now()<end);"`,
    });
    expect(await dispatcher.launch(rqd.hostName, frame)).toEqual({ ok: true });
    const report = await dispatcher.until(() =>
      dispatcher.reports.find((r) => r.host === rqd.hostName && r.report.running.some((f) => f.frameId === frame.frameId && f.rssMb > 80)),
    );
    expect(report.report.freeMemoryMb).toBeGreaterThan(0);
    const exit = await dispatcher.exitOf(frame.frameId);
    expect(exit.maxRssMb).toBeGreaterThan(80);
    expect(exit.cpuSeconds).toBeGreaterThan(0.5);
    const log = readFileSync(path.join(rqd.logRoot, frame.logPath), 'utf8');
    expect(log).toMatch(/max rss: {5}\d+\.\d MB\ncpu time: {4}\d+\.\d\d s/);
  });

  it('registration carries the machine’s real resources, tags and allocation', async () => {
    const rqd = await daemon({ allocation: 'local.general', tags: ['desktop', 'nuke'], resources: {} });
    const registration = dispatcher.registrations.find((r) => r.name === rqd.hostName)!;
    expect(registration).toMatchObject({ allocation: 'local.general', tags: ['desktop', 'nuke'], gpus: 0 });
    expect(registration.cores).toBeGreaterThanOrEqual(1);
    expect(registration.memoryMb).toBeGreaterThan(100);
    expect(registration.os).toMatch(/^Linux/);
    expect(registration.freeTempMb).toBeGreaterThan(0);
  });
});

describe('who a frame runs as', () => {
  const cases: Array<[string, Partial<RqdOptions>, string, RegExp]> = [
    ['as root, a frame runs as the submitting user', {}, 'nobody', /^nobody uid=65534\b/],
    ['with the single-user setting, as rqd’s own user', { singleUser: true }, 'nobody', /^root uid=0\b/],
  ];
  it.each(cases)('%s', async (_name, overrides, user, expected) => {
    const rqd = await daemon(overrides);
    const { exit, log } = await run(rqd, { user, command: 'echo "$(id -un) uid=$(id -u) groups=$(id -G) home=$HOME"' });
    expect(exit.exitStatus).toBe(0);
    expect(log.split('==== output ====\n')[1]).toMatch(expected);
  });

  it('a submitting user unknown on the host fails the frame with a clear message', async () => {
    const rqd = await daemon();
    const { exit, log } = await run(rqd, { user: 'no_such_artist', command: 'echo never' });
    expect(exit.reason).toBe('LAUNCH_FAILED');
    expect(exit.message).toMatch(/user 'no_such_artist' does not exist on host/);
    expect(log).toContain('--single-user');
    expect(log).not.toContain('never\n');
  });
});
