/**
 * Frames run for real: exit codes, signals, the log file and its live stream, command tokens and
 * environment, kills of whole process trees, and launches the host must refuse.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rqd, startRqd } from '../src/index';
import { readProcess } from '../src/processTree';
import { launchMessage, rqdOptions } from './support/builders';
import { TestDispatcher } from './support/testDispatcher';

const TOKEN = 'secret-host-token';
let dispatcher: TestDispatcher;
let rqd: Rqd;
let host: string;

beforeAll(async () => {
  // rqd's own environment holds the token, as on a real host; frames must not inherit it.
  process.env.FARMHAND_HOST_TOKEN = TOKEN;
  dispatcher = await TestDispatcher.start(TOKEN);
  rqd = startRqd(rqdOptions(dispatcher.url, TOKEN));
  host = rqd.hostName;
  await dispatcher.hostSocket(host);
});

afterAll(async () => {
  await rqd.stop();
  await dispatcher.close();
});

function logFile(frame: { logPath: string }): string {
  return readFileSync(path.join(rqd.logRoot, frame.logPath), 'utf8');
}

async function run(overrides: Parameters<typeof launchMessage>[0]) {
  const frame = launchMessage(overrides);
  const ack = await dispatcher.launch(host, frame);
  expect(ack).toEqual({ ok: true });
  const exit = await dispatcher.exitOf(frame.frameId, frame.attempt);
  return { frame, exit, log: logFile(frame), streamed: dispatcher.logOf(frame.frameId, frame.attempt) };
}

describe('a frame that runs to the end', () => {
  it('prints and exits 0: log has header, output and footer, and the streamed chunks are exactly the file', async () => {
    const { frame, exit, log, streamed } = await run({ command: 'echo "rendering #FRAME#"; echo "to stderr" >&2; echo done' });
    expect(exit).toMatchObject({ reason: 'EXITED', exitStatus: 0, exitSignal: null });
    expect(log).toMatch(/^==== Farmhand frame log ====\nhost: {8}host-/);
    expect(log).toContain(`rendering ${frame.frames[0]}\n`);
    expect(log).toContain('to stderr\n');
    expect(log).toMatch(/==== frame finished ====\nended: {7}exit status 0\nreason: {6}EXITED/);
    expect(log).toMatch(/wall time: {3}\d+\.\d\d s/);
    expect(streamed).toBe(log);
    const started = await dispatcher.startedOf(frame.frameId);
    expect(started.logPath).toBe(frame.logPath);
    const order = dispatcher.applied.filter((a) => a.payload.frameId === frame.frameId).map((a) => a.event);
    expect(order[0]).toBe('frame:started');
    expect(order.at(-1)).toBe('frame:exited');
  });

  it('exits 3: reported as exit status 3, not a kill', async () => {
    const { exit, log } = await run({ command: 'echo failing; exit 3' });
    expect(exit).toMatchObject({ reason: 'EXITED', exitStatus: 3, exitSignal: null });
    expect(log).toContain('ended:       exit status 3');
  });

  it('killed by a signal it sent itself: reported as SIGNALED with the signal name', async () => {
    const { exit, log } = await run({ command: 'kill -SEGV $$' });
    expect(exit).toMatchObject({ reason: 'SIGNALED', exitSignal: 'SIGSEGV', exitStatus: 139 });
    expect(log).toContain('ended:       signal SIGSEGV');
  });

  it('streams multi-byte characters split across chunks without corrupting them', async () => {
    const { log, streamed } = await run({ command: `node -e "for (let i = 0; i < 2000; i++) process.stdout.write('é→🎬')"` });
    expect(log).toContain('é→🎬'.repeat(2000));
    expect(streamed).toBe(log);
  });
});

describe('command tokens and environment', () => {
  const cases: Array<[string, Parameters<typeof launchMessage>[0], string]> = [
    ['#FRAME# is the chunk’s first frame', { frames: [7, 8, 9], command: 'echo "#FRAME#"' }, '7'],
    ['#ZFRAME# is zero-padded to four', { frames: [7], command: 'echo "#ZFRAME#"' }, '0007'],
    ['#IFRAME# is the frame number', { frames: [42], command: 'echo "#IFRAME#"' }, '42'],
    ['#FRAME_START# and #FRAME_END# bound the chunk', { frames: [10, 11, 12], command: 'echo "#FRAME_START#-#FRAME_END#"' }, '10-12'],
    ['#FRAME_CHUNK# is the chunk size', { frames: [10, 11, 12], command: 'echo "#FRAME_CHUNK#"' }, '3'],
    ['#FRAMESPEC# is the chunk as a frame spec', { frames: [1, 2, 3, 7], command: 'echo "#FRAMESPEC#"' }, '1-3,7'],
    [
      '#LAYER#, #JOB#, #SHOW#, #SHOT#, #USER#',
      { command: 'echo "#LAYER# #JOB# #SHOW# #SHOT# #USER#"' },
      'render sh010_lighting bunny sh010 root',
    ],
    ['#LOGDIR# is the attempt’s log folder', { command: 'echo "#LOGDIR#"' }, 'bunny/sh010_lighting/render'],
    [
      'FARMHAND_JOB, _LAYER, _FRAME, _SHOW, _SHOT, _USER',
      { frames: [5], command: 'echo "$FARMHAND_JOB $FARMHAND_LAYER $FARMHAND_FRAME $FARMHAND_SHOW $FARMHAND_SHOT $FARMHAND_USER"' },
      'sh010_lighting render 5 bunny sh010 root',
    ],
    [
      'FARMHAND_THREADS and FARMHAND_MEMORY_MB are the booking',
      { cores: 2, memoryMb: 512, command: 'echo "$FARMHAND_THREADS $FARMHAND_MEMORY_MB"' },
      '2 512',
    ],
    ['FARMHAND_LOG is the log file', { command: 'echo "$FARMHAND_LOG"' }, '.log'],
    [
      'CUDA_VISIBLE_DEVICES and FARMHAND_GPUS are empty without GPUs',
      { command: 'echo "[$CUDA_VISIBLE_DEVICES][$FARMHAND_GPUS]"' },
      '[][]',
    ],
    ['the layer’s own variables are set', { env: { RENDER_QUALITY: 'final' }, command: 'echo "$RENDER_QUALITY"' }, 'final'],
    ['the host token is not passed to frames', { command: 'echo "[$FARMHAND_HOST_TOKEN]"' }, '[]'],
  ];
  it.each(cases)('%s', async (_name, overrides, expected) => {
    const { exit, log } = await run(overrides);
    expect(exit.exitStatus).toBe(0);
    const output = log.split('==== output ====\n')[1]?.split('\n')[0] ?? '';
    expect(output).toContain(expected);
  });
});

describe('kills', () => {
  it('a kill from the dispatcher stops the frame and every process it forked', async () => {
    const frame = launchMessage({
      command: 'sleep 300 & sleep 300 & (trap "" TERM; sleep 300) & setsid sleep 300 & echo forked; wait',
    });
    expect(await dispatcher.launch(host, frame)).toEqual({ ok: true });
    const started = await dispatcher.startedOf(frame.frameId);
    await dispatcher.until(() => dispatcher.logOf(frame.frameId, 1).includes('forked'));
    const family = await waitForProcesses(started.pid, 4);
    await dispatcher.kill(host, frame.frameId, 1, 'the wrangler killed it');
    const exit = await dispatcher.exitOf(frame.frameId);
    expect(exit.reason).toBe('KILLED');
    expect(exit.message).toContain('the wrangler killed it');
    expect(family.filter(isAlive)).toEqual([]);
  });
});

describe('launches the host refuses, and keeps running after', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an unknown field', { ...launchMessage(), priority: 5 }, /unrecognized key.*priority|priority/i],
    ['a missing command', { ...launchMessage(), command: '' }, /command/],
    ['a mistyped command token', launchMessage({ command: 'render -f #FRAMES#' }), /#FRAMES#.*not a token/],
    ['a log path escaping the log root', launchMessage({ logPath: '../../etc/cron.d/evil.log' }), /outside the log root/],
    ['an absolute log path', launchMessage({ logPath: '/etc/evil.log' }), /outside the log root/],
    ['more cores than the host has', launchMessage({ cores: 64 }), /needs 64 cores but host .* has 2 free of 2/],
    ['more memory than the host has', launchMessage({ memoryMb: 1_000_000 }), /needs 1000000 MB of memory/],
    ['a GPU the host does not have', launchMessage({ gpus: [0] }), /GPU 0 but host .* has 0 GPU/],
  ];
  it.each(cases)('%s', async (_name, message, reason) => {
    const ack = await dispatcher.launch(host, message);
    expect(ack.ok).toBe(false);
    if (!ack.ok) expect(ack.error).toMatch(reason);
    const { exit } = await run({ command: 'true' });
    expect(exit.exitStatus).toBe(0);
  });
});

describe('a launch message carrying several frames (one commit of bookings on this host)', () => {
  it('answers each frame in order: a bad one is refused, the others run', async () => {
    const good = launchMessage({ command: 'echo one' });
    const bad = launchMessage({ logPath: '../escape.log' });
    const alsoGood = launchMessage({ command: 'echo two' });
    const answer = await dispatcher.launchBatch(host, [good, bad, alsoGood]);
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.results[0]).toEqual({ ok: true });
    expect(answer.results[1]).toMatchObject({ ok: false, error: expect.stringMatching(/outside the log root/) });
    expect(answer.results[2]).toEqual({ ok: true });
    expect((await dispatcher.exitOf(good.frameId, good.attempt)).exitStatus).toBe(0);
    expect((await dispatcher.exitOf(alsoGood.frameId, alsoGood.attempt)).exitStatus).toBe(0);
    expect(logFile(alsoGood)).toContain('two\n');
  });

  it('refuses a message that is not an array, and keeps running after', async () => {
    const answer = await dispatcher.launchBatch(host, launchMessage());
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/must be an array of frame launches/) });
    const { exit } = await run({ command: 'true' });
    expect(exit.exitStatus).toBe(0);
  });
});

async function waitForProcesses(rootPid: number, atLeast: number): Promise<number[]> {
  const { frameProcesses, readAllProcesses } = await import('../src/index');
  for (;;) {
    const family = frameProcesses(readAllProcesses(), rootPid).map((p) => p.pid);
    if (family.length >= atLeast) return family;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Alive and not a zombie (a zombie has exited; it only waits for init to reap it). */
function isAlive(pid: number): boolean {
  return readProcess(pid) !== undefined;
}
