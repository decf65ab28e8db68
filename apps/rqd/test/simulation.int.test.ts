/**
 * `--simulate N`: virtual hosts speak the same protocol as real ones — register, launch acks and
 * refusals, started/log/exited, kills — with outcomes drawn from seeded distributions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulation, type SimulationOptions, startSimulation } from '../src/index';
import { launchMessage, rqdOptions } from './support/builders';
import { TestDispatcher } from './support/testDispatcher';

const TOKEN = 'sim-token';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function simulationOptions(overrides: Partial<SimulationOptions> = {}): SimulationOptions {
  return {
    hosts: 3,
    cores: 4,
    memoryMb: 8192,
    seed: 1,
    runtimeS: { mean: 0.3, spread: 0.1 },
    peakRssFraction: { mean: 0.5, spread: 0.1 },
    failureRate: 0,
    oomRate: 0,
    ...overrides,
  };
}

async function simulate(overrides: Partial<SimulationOptions> = {}): Promise<{ dispatcher: TestDispatcher; simulation: Simulation }> {
  const dispatcher = await TestDispatcher.start(TOKEN);
  cleanups.push(() => dispatcher.close());
  const simulation = startSimulation(rqdOptions(dispatcher.url, TOKEN), simulationOptions(overrides));
  cleanups.push(() => simulation.stop());
  await Promise.all(simulation.hosts.map((h) => dispatcher.hostSocket(h.hostName)));
  return { dispatcher, simulation };
}

/** Launches `count` one-core frames round-robin over the hosts and returns their exits. */
async function runFrames(dispatcher: TestDispatcher, simulation: Simulation, count: number, firstFrameId: number) {
  const frames = Array.from({ length: count }, (_, i) => launchMessage({ frameId: firstFrameId + i, frames: [i + 1], memoryMb: 1024 }));
  const acks = await Promise.all(frames.map((f, i) => dispatcher.launch(simulation.hosts[i % simulation.hosts.length]!.hostName, f)));
  expect(acks.every((a) => a.ok)).toBe(true);
  return Promise.all(frames.map((f) => dispatcher.exitOf(f.frameId)));
}

describe('simulated hosts', () => {
  it('N hosts register with the configured cores and memory and run frames with real, streamed logs', async () => {
    const { dispatcher, simulation } = await simulate();
    const names = simulation.hosts.map((h) => h.hostName);
    expect(new Set(names).size).toBe(3);
    for (const name of names)
      expect(dispatcher.registrations.find((r) => r.name === name)).toMatchObject({ cores: 4, memoryMb: 8192, os: 'simulated' });
    const exits = await runFrames(dispatcher, simulation, 12, 5000);
    expect(exits.map((e) => e.reason)).toEqual(Array(12).fill('EXITED'));
    // Simulated hosts of one process share its log root, as hosts of a farm share storage.
    const logRoot = simulation.hosts[0]!.logRoot;
    for (const [i, exit] of exits.entries()) {
      const log = readFileSync(path.join(logRoot, `bunny/sh010_lighting/render/${i + 1}.1.log`), 'utf8');
      expect(log).toContain('simulated render 100%');
      expect(dispatcher.logOf(exit.frameId, 1)).toBe(log);
    }
  });

  const outcomes: Array<[string, Partial<SimulationOptions>, string, number]> = [
    ['an OOM rate of 1 ends every frame in a memory kill', { oomRate: 1 }, 'MEMORY_KILL', 143],
    ['a failure rate of 1 ends every frame with exit status 1', { failureRate: 1 }, 'EXITED', 1],
    ['rates of 0 let every frame succeed', {}, 'EXITED', 0],
  ];
  it.each(outcomes)('%s', async (_name, rates, reason, exitStatus) => {
    const { dispatcher, simulation } = await simulate(rates);
    const exits = await runFrames(dispatcher, simulation, 6, 6000);
    for (const exit of exits) expect(exit).toMatchObject({ reason, exitStatus });
  });

  it('the same seed gives each frame the same outcome, whichever host runs it', async () => {
    const rates = { seed: 7, failureRate: 0.3, oomRate: 0.3 };
    const first = await simulate(rates);
    const firstReasons = (await runFrames(first.dispatcher, first.simulation, 12, 7000)).map((e) => `${e.reason}:${e.exitStatus}`);
    const second = await simulate({ ...rates, hosts: 4 });
    const secondReasons = (await runFrames(second.dispatcher, second.simulation, 12, 7000)).map((e) => `${e.reason}:${e.exitStatus}`);
    expect(secondReasons).toEqual(firstReasons);
    expect(new Set(firstReasons).size).toBeGreaterThan(1);
  });

  it('refuses a frame past its free cores and stops a frame on kill, like a real host', async () => {
    const { dispatcher, simulation } = await simulate({ hosts: 1, runtimeS: { mean: 60, spread: 0 } });
    const host = simulation.hosts[0]!.hostName;
    const big = launchMessage({ frameId: 8000, cores: 4 });
    expect(await dispatcher.launch(host, big)).toEqual({ ok: true });
    const refused = await dispatcher.launch(host, launchMessage({ frameId: 8001, cores: 1 }));
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/needs 1 cores but host .* has 0 free of 4/) });
    await dispatcher.kill(host, 8000, 1);
    expect(await dispatcher.exitOf(8000)).toMatchObject({ reason: 'KILLED' });
    expect(await dispatcher.launch(host, launchMessage({ frameId: 8002, cores: 1 }))).toEqual({ ok: true });
  });
});
