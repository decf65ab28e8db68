/**
 * Network loss: frames keep running while the dispatcher is unreachable, their events wait on
 * disk, and after the dispatcher comes back every completion and log arrives exactly once —
 * also when acknowledgements were lost, and when rqd itself restarted in between.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Rqd, startRqd } from '../src/index';
import { launchMessage, rqdOptions } from './support/builders';
import { TestDispatcher } from './support/testDispatcher';

const TOKEN = 'network-token';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp() {
  const dispatcher = await TestDispatcher.start(TOKEN);
  cleanups.push(() => dispatcher.close());
  const options = rqdOptions(dispatcher.url, TOKEN);
  const rqd = startRqd(options);
  cleanups.push(() => rqd.stop());
  await dispatcher.hostSocket(rqd.hostName);
  return { dispatcher, rqd, options };
}

/** Launches `count` frames that print, wait `seconds`, print again and exit. */
async function launchFrames(dispatcher: TestDispatcher, rqd: Rqd, count: number, seconds: number) {
  const frames = Array.from({ length: count }, (_, i) =>
    launchMessage({ frames: [1001 + i], cores: 0.1, memoryMb: 64, command: `echo "start #FRAME#"; sleep ${seconds}; echo "end #FRAME#"` }),
  );
  const acks = await Promise.all(frames.map((frame) => dispatcher.launch(rqd.hostName, frame)));
  expect(acks.every((ack) => ack.ok)).toBe(true);
  await Promise.all(frames.map((f) => dispatcher.startedOf(f.frameId)));
  return frames;
}

function expectEachReportedOnceWithCompleteLogs(dispatcher: TestDispatcher, rqd: Rqd, frames: ReturnType<typeof launchMessage>[]) {
  for (const frame of frames) {
    expect(dispatcher.find('frame:started', frame.frameId, 1)).toHaveLength(1);
    expect(dispatcher.find('frame:exited', frame.frameId, 1)).toHaveLength(1);
    const file = readFileSync(path.join(rqd.logRoot, frame.logPath), 'utf8');
    expect(file).toContain(`end ${frame.frames[0]}\n`);
    expect(file).toContain('==== frame finished ====');
    expect(dispatcher.logOf(frame.frameId, 1)).toBe(file);
  }
}

describe('network loss', () => {
  it('20 frames finish while the dispatcher is down; after it restarts each is reported exactly once with its complete log', async () => {
    const { dispatcher, rqd } = await setUp();
    const frames = await launchFrames(dispatcher, rqd, 20, 3);
    await dispatcher.stop();
    await rqd.host.idle();
    expect(rqd.outbox.pending).toBeGreaterThanOrEqual(20);
    await dispatcher.listen();
    await Promise.all(frames.map((f) => dispatcher.exitOf(f.frameId)));
    await rqd.outbox.drained();
    expect(dispatcher.find('frame:exited', frames[0]!.frameId, 1)[0]).toMatchObject({ reason: 'EXITED', exitStatus: 0 });
    expectEachReportedOnceWithCompleteLogs(dispatcher, rqd, frames);
  });

  it('events applied but never acknowledged before the cut are sent again and dropped as duplicates by seq', async () => {
    const { dispatcher, rqd } = await setUp();
    dispatcher.withholdAcks = true;
    const frames = await launchFrames(dispatcher, rqd, 5, 0.5);
    await rqd.host.idle();
    await Promise.all(frames.map((f) => dispatcher.exitOf(f.frameId)));
    await dispatcher.stop();
    dispatcher.withholdAcks = false;
    await dispatcher.listen();
    await rqd.outbox.drained();
    expect(dispatcher.duplicates).toBeGreaterThan(0);
    expectEachReportedOnceWithCompleteLogs(dispatcher, rqd, frames);
  });

  it('events spooled to disk survive an rqd restart and are replayed by the next rqd', async () => {
    const { dispatcher, rqd, options } = await setUp();
    const frames = await launchFrames(dispatcher, rqd, 3, 0.5);
    await dispatcher.stop();
    await rqd.host.idle();
    await rqd.stop();
    await dispatcher.listen();
    const next = startRqd(options);
    cleanups.push(() => next.stop());
    await Promise.all(frames.map((f) => dispatcher.exitOf(f.frameId)));
    await next.outbox.drained();
    expectEachReportedOnceWithCompleteLogs(dispatcher, next, frames);
  });

  it('a host with the wrong token is refused and never registers', async () => {
    const dispatcher = await TestDispatcher.start(TOKEN);
    cleanups.push(() => dispatcher.close());
    const rqd = startRqd(rqdOptions(dispatcher.url, 'not-the-token'));
    cleanups.push(() => rqd.stop());
    await dispatcher.until(() => dispatcher.refusedConnections.includes(rqd.hostName));
    expect(dispatcher.registrations.map((r) => r.name)).not.toContain(rqd.hostName);
  });

  it('rqd refuses to start without a token', () => {
    expect(() => startRqd(rqdOptions('http://127.0.0.1:1', ''))).toThrow(/needs the host token/);
  });
});
