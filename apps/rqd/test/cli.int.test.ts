/**
 * The rqd command as an operator runs it: flags, a refusal without a token, registering, and a
 * clean stop on SIGTERM; `--simulate N` brings up N hosts from one process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcess } from '../src/processTree';
import { launchMessage } from './support/builders';
import { TestDispatcher } from './support/testDispatcher';

const TOKEN = 'cli-token';
const MAIN = path.resolve(import.meta.dirname, '../src/main.ts');
const ROOT = path.resolve(import.meta.dirname, '../../..');
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** rqd as its own node process (no tsx wrapper process, so a SIGKILL really kills rqd). */
function rqdProcess(
  args: string[],
  env: Record<string, string> = {},
  dir = mkdtempSync(path.join(os.tmpdir(), 'rqd-cli-')),
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const { FARMHAND_HOST_TOKEN: _token, ...inherited } = process.env;
  const paths = ['--log-root', path.join(dir, 'logs'), '--spool-dir', path.join(dir, 'spool')];
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...paths, ...args], {
    cwd: ROOT,
    env: { ...inherited, FARMHAND_DATA_DIR: dir, FARMHAND_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, output: () => output, exited };
}

describe('the rqd command', () => {
  it('refuses to start without a host token, saying where to get one', async () => {
    const rqd = rqdProcess(['--dispatcher', 'http://127.0.0.1:1']);
    expect(await rqd.exited).toBe(2);
    expect(rqd.output()).toMatch(/needs the host token.*--token.*FARMHAND_HOST_TOKEN/);
  });

  it('refuses an unknown flag with the usage', async () => {
    const rqd = rqdProcess(['--token', TOKEN, '--colour', 'blue']);
    expect(await rqd.exited).toBe(2);
    expect(rqd.output()).toMatch(/--colour[\s\S]*Usage: rqd/);
  });

  it('registers with its name, allocation and tags, and exits 0 on SIGTERM', async () => {
    const dispatcher = await TestDispatcher.start(TOKEN);
    cleanups.push(() => dispatcher.close());
    const rqd = rqdProcess(['--dispatcher', dispatcher.url, '--name', 'cli-host', '--allocation', 'local.general', '--tags', 'a,b'], {
      FARMHAND_HOST_TOKEN: TOKEN,
    });
    await dispatcher.hostSocket('cli-host');
    expect(dispatcher.registrations.find((r) => r.name === 'cli-host')).toMatchObject({ allocation: 'local.general', tags: ['a', 'b'] });
    rqd.child.kill('SIGTERM');
    expect(await rqd.exited).toBe(0);
  });

  it('a restarted rqd stops the frames a crashed rqd left running and reports them KILLED', async () => {
    const dispatcher = await TestDispatcher.start(TOKEN);
    cleanups.push(() => dispatcher.close());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rqd-crash-'));
    const args = ['--dispatcher', dispatcher.url, '--token', TOKEN, '--name', 'crash-host'];
    const first = rqdProcess(args, {}, dir);
    await dispatcher.hostSocket('crash-host');
    const frame = launchMessage({ command: 'echo rendering; sleep 300' });
    expect(await dispatcher.launch('crash-host', frame)).toEqual({ ok: true });
    const { pid } = await dispatcher.startedOf(frame.frameId);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(readProcess(pid)).toBeDefined(); // the frame outlived its rqd

    rqdProcess(args, {}, dir);
    const exit = await dispatcher.exitOf(frame.frameId);
    expect(exit).toMatchObject({ reason: 'KILLED', message: expect.stringContaining('rqd restarted while the frame ran') });
    expect(readProcess(pid)).toBeUndefined();
  });

  it('--simulate 3 brings up three simulated hosts from one process', async () => {
    const dispatcher = await TestDispatcher.start(TOKEN);
    cleanups.push(() => dispatcher.close());
    rqdProcess([
      '--dispatcher',
      dispatcher.url,
      '--token',
      TOKEN,
      '--name',
      'farm',
      '--simulate',
      '3',
      '--cores',
      '8',
      '--memory-mb',
      '16384',
    ]);
    await Promise.all(['farm-sim-1', 'farm-sim-2', 'farm-sim-3'].map((h) => dispatcher.hostSocket(h)));
    expect(dispatcher.registrations.filter((r) => r.name.startsWith('farm-sim-')).map((r) => r.cores)).toEqual([8, 8, 8]);
  });
});
