import type { HostDelta } from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import { mergeHostDeltas } from '../src/client/hostsCache';
import type { HostRow } from '../src/server/services/hosts';

function host(id: string): HostRow {
  return {
    id,
    name: id,
    allocation: 'local.general',
    state: 'UP',
    lock: 'OPEN',
    cores: 8,
    idleCores: 8,
    memoryMb: 16_384,
    freeMemoryMb: 16_000,
    gpus: 0,
    load: 0,
    os: 'linux',
    procs: 0,
    lastReportAt: '2026-01-01T00:00:00.000Z',
    bootedAt: null,
  };
}

describe('the hosts list as host deltas arrive', () => {
  it('takes state, lock, cores and last report from a delta, keeps the other rows as they are, and names hosts it does not hold', () => {
    const delta = {
      id: 'a',
      state: 'DOWN',
      lock: 'LOCKED',
      cores: 8,
      idleCores: 2,
      lastReportAt: '2026-01-01T00:05:00.000Z',
    } as HostDelta;
    const rows = [host('a'), host('b')];
    const merged = mergeHostDeltas(rows, [delta, { ...delta, id: 'new-host' }]);
    expect(merged.rows[0]).toMatchObject({
      id: 'a',
      name: 'a',
      state: 'DOWN',
      lock: 'LOCKED',
      idleCores: 2,
      lastReportAt: delta.lastReportAt,
    });
    expect(merged.rows[1]).toBe(rows[1]);
    expect(merged.unknown).toEqual(['new-host']);
  });
});
