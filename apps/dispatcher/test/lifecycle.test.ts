/**
 * The frame lifecycle rules as pure decisions: what a frame becomes when its process ends.
 */
import { describe, expect, it } from 'vitest';
import { decideFrameExit, MEMORY_KILL_RAISE_MB } from '../src/farm/lifecycle';

type Case = [string, Parameters<typeof decideFrameExit>, ReturnType<typeof decideFrameExit>];

const exit = (exitStatus: number, reason: 'EXITED' | 'MEMORY_KILL' | 'NIMBY' | 'KILLED' | 'SIGNALED' = 'EXITED', maxRssMb = 0) => ({
  exitStatus,
  reason,
  maxRssMb,
});
const frame = (retries = 0, killIntent: 'WAITING' | 'EATEN' | 'JOB_KILLED' | null = null) => ({ retries, killIntent });

const cases: Case[] = [
  ['exit 0 succeeds', [frame(), exit(0), 3, 1024], { state: 'SUCCEEDED', retries: 0, raiseMemoryMbTo: null }],
  [
    'a failure under max retries waits again, counted',
    [frame(1), exit(3), 3, 1024],
    { state: 'WAITING', retries: 2, raiseMemoryMbTo: null },
  ],
  ['a failure at max retries is DEAD', [frame(3), exit(3), 3, 1024], { state: 'DEAD', retries: 3, raiseMemoryMbTo: null }],
  ['a signal counts as a failure', [frame(0), exit(137, 'SIGNALED'), 0, 1024], { state: 'DEAD', retries: 0, raiseMemoryMbTo: null }],
  [
    'a memory kill raises the layer by 2 GB and retries uncounted',
    [frame(3), exit(137, 'MEMORY_KILL', 1500), 3, 1024],
    { state: 'WAITING', retries: 3, raiseMemoryMbTo: 1024 + MEMORY_KILL_RAISE_MB },
  ],
  [
    'a memory kill raises to at least the peak',
    [frame(), exit(137, 'MEMORY_KILL', 9000.2), 3, 1024],
    { state: 'WAITING', retries: 0, raiseMemoryMbTo: 9001 },
  ],
  [
    'a memory kill never raises past the largest host',
    [frame(), exit(137, 'MEMORY_KILL', 90_000), 3, 8192, 65_536],
    { state: 'WAITING', retries: 0, raiseMemoryMbTo: 65_536 },
  ],
  [
    'a memory kill at the largest host already retries as it is',
    [frame(), exit(137, 'MEMORY_KILL', 90_000), 3, 65_536, 65_536],
    { state: 'WAITING', retries: 0, raiseMemoryMbTo: null },
  ],
  ['a NIMBY stop waits again uncounted', [frame(2), exit(143, 'NIMBY'), 2, 1024], { state: 'WAITING', retries: 2, raiseMemoryMbTo: null }],
  [
    "a user's kill waits again uncounted",
    [frame(1, 'WAITING'), exit(143, 'KILLED'), 1, 1024],
    { state: 'WAITING', retries: 1, raiseMemoryMbTo: null },
  ],
  [
    'a killed job leaves its frames WAITING',
    [frame(0, 'JOB_KILLED'), exit(143, 'KILLED'), 0, 1024],
    { state: 'WAITING', retries: 0, raiseMemoryMbTo: null },
  ],
  [
    'a frame eaten while running ends EATEN, whatever its exit',
    [frame(0, 'EATEN'), exit(0), 0, 1024],
    { state: 'EATEN', retries: 0, raiseMemoryMbTo: null },
  ],
];

describe('what a frame becomes when its process ends', () => {
  it.each(cases)('%s', (_what, args, expected) => {
    expect(decideFrameExit(...args)).toEqual(expected);
  });
});
