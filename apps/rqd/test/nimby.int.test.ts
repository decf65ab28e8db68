/**
 * Desktop hosts (NIMBY): use of the machine locks the host, stops its frames as NIMBY (not a
 * failure) and refuses launches; idleness unlocks it. The measurement itself is checked against
 * a real busy process.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { type Activity, DesktopActivity, startRqd } from '../src/index';
import { readProcess } from '../src/processTree';
import { launchMessage, rqdOptions } from './support/builders';
import { TestDispatcher } from './support/testDispatcher';

const TOKEN = 'nimby-token';
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('NIMBY', () => {
  it('someone using the desktop locks the host, its frames end as NIMBY, and it unlocks after the idle time', async () => {
    const dispatcher = await TestDispatcher.start(TOKEN);
    cleanups.push(() => dispatcher.close());
    // The desktop's activity as a script: what a person at the keyboard would produce.
    let activity: Activity = { input: false, desktopCores: 0 };
    const rqd = startRqd(rqdOptions(dispatcher.url, TOKEN, { nimby: { loadThreshold: 1, idleS: 60, checkIntervalS: 3600 } }), {
      activity: { read: () => activity },
    });
    cleanups.push(() => rqd.stop());
    const host = rqd.hostName;
    await dispatcher.hostSocket(host);
    const frame = launchMessage({ command: 'sleep 300' });
    expect(await dispatcher.launch(host, frame)).toEqual({ ok: true });
    await dispatcher.startedOf(frame.frameId);

    activity = { input: true, desktopCores: 0 };
    rqd.nimby!.check();
    const exit = await dispatcher.exitOf(frame.frameId);
    expect(exit).toMatchObject({
      reason: 'NIMBY',
      message: expect.stringContaining('someone is using this desktop (keyboard or mouse input)'),
    });
    await dispatcher.until(() => dispatcher.reports.find((r) => r.host === host && r.report.nimbyLocked === true));
    const refused = await dispatcher.launch(host, launchMessage());
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/is NIMBY locked: someone is using this desktop/) });

    activity = { input: false, desktopCores: 0.2 };
    rqd.nimby!.check(Date.now() + 30_000);
    expect(rqd.nimby!.locked).toBe(true);
    rqd.nimby!.check(Date.now() + 61_000);
    expect(rqd.nimby!.locked).toBe(false);
    await dispatcher.until(() => dispatcher.reports.find((r) => r.host === host && r.report.nimbyLocked === false));
    expect(await dispatcher.launch(host, launchMessage({ command: 'true' }))).toEqual({ ok: true });
  });

  it('a process outside the farm using a core is measured as desktop use', async () => {
    const dispatcher = await TestDispatcher.start(TOKEN);
    cleanups.push(() => dispatcher.close());
    const rqd = startRqd(rqdOptions(dispatcher.url, TOKEN));
    cleanups.push(() => rqd.stop());
    const desktop = new DesktopActivity(rqd.host);
    const busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
    cleanups.push(() => {
      busy.kill('SIGKILL');
    });
    await new Promise<void>((resolve) => {
      const poll = () => ((readProcess(busy.pid!)?.cpuSeconds ?? 0) >= 1 ? resolve() : setTimeout(poll, 50));
      poll();
    });
    expect(desktop.read().desktopCores).toBeGreaterThan(0.5);
  });
});
