/**
 * How memory is described to the scheduler, where it can be odd: a host booked past its size.
 */
import { Scheduler } from '@farmhand/scheduler';
import { describe, expect, it } from 'vitest';
import { emptyFarm, type MemHost, type MemProc } from '../src/farm/model';
import { buildSnapshot, hostSnapshot } from '../src/farm/snapshot';

const proc = (frameId: number, cores: number, memoryMb: number) =>
  ({ frameId, cores, memoryMb, gpus: [], gpuMemoryMb: 0 }) as unknown as MemProc;

function host(procs: MemProc[]): MemHost {
  return {
    id: 'h1',
    name: 'render01',
    allocationId: 'a1',
    cores: 16,
    memoryMb: 32_768,
    gpus: 0,
    gpuMemoryMb: 0,
    tags: [],
    state: 'UP',
    lock: 'OPEN',
    socketId: 's1',
    coolingUntil: 0,
    procs: new Map(procs.map((p) => [p.frameId, p])),
  } as unknown as MemHost;
}

describe('a host as the scheduler sees it', () => {
  it('shows what is idle', () => {
    expect(hostSnapshot(host([proc(1, 4, 8192)]))).toMatchObject({ idleCores: 12, idleMemoryMb: 24_576, procCount: 1 });
  });

  // After a restart a host can hold the proc of a frame whose end is not committed yet beside the
  // one booked on its cores (bookings commit first on PostgreSQL), until rqd resends that end.
  it('shows nothing idle, rather than less than nothing, on a host booked past its size, and the scheduler takes it', () => {
    const h = host([proc(1, 16, 30_000), proc(2, 16, 30_000)]);
    expect(hostSnapshot(h)).toMatchObject({ idleCores: 0, idleMemoryMb: 0 });
    const farm = emptyFarm();
    farm.allocations.set('a1', { id: 'a1', name: 'local', tag: 'local' });
    farm.hosts.set(h.id, h);
    expect(new Scheduler(buildSnapshot(farm, Date.now())).schedule().bookings).toEqual([]);
  });
});
