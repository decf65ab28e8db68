import { AppError } from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import { type Booking, Scheduler } from '../src';
import { farm, frames, host, job, layer, limit, show, simpleFarm } from './builders';

/** A farm of two 8-core hosts and far more frames than they hold, after a first full pass. */
function fullFarm(o: Parameters<typeof simpleFarm>[0] = {}) {
  const scheduler = new Scheduler(simpleFarm({ hosts: [host('h1'), host('h2')], frames: 100, ...o }));
  const first = scheduler.schedule();
  return { scheduler, first };
}

const endProcs = (scheduler: Scheduler, bookings: Booking[], hostId: string, count: number) => {
  const ended = bookings.filter((b) => b.hostId === hostId).slice(0, count);
  for (const b of ended) scheduler.release(b);
  return ended;
};

describe('the incremental pass over one host', () => {
  it('books onto a host that freed cores, and only that host', () => {
    const { scheduler, first } = fullFarm();
    expect(first.bookings).toHaveLength(16);
    endProcs(scheduler, first.bookings, 'h1', 3);
    const plan = scheduler.scheduleHost('h1');
    expect(plan.bookings.map((b) => b.hostId)).toEqual(['h1', 'h1', 'h1']);
    expect(plan.bookings.map((b) => b.frameId)).toEqual([17, 18, 19]);
    expect(plan.unbooked).toEqual([]);
  });

  it('books nothing on a host that freed nothing', () => {
    const { scheduler } = fullFarm();
    expect(scheduler.scheduleHost('h2').bookings).toEqual([]);
  });

  it('a host that went DOWN or NIMBY_LOCKED gets nothing even with cores free', () => {
    const { scheduler, first } = fullFarm();
    endProcs(scheduler, first.bookings, 'h1', 8);
    scheduler.updateHost(host('h1', { lock: 'NIMBY_LOCKED' }));
    expect(scheduler.scheduleHost('h1').bookings).toEqual([]);
    scheduler.updateHost(host('h1'));
    expect(scheduler.scheduleHost('h1').bookings).toHaveLength(8);
  });

  it('a new host reported by the dispatcher is booked on its first pass', () => {
    const { scheduler } = fullFarm();
    scheduler.updateHost(host('h3', { cores: 4 }));
    expect(scheduler.scheduleHost('h3').bookings).toHaveLength(4);
  });

  it('a job paused between passes gets nothing; resumed, it books again', () => {
    const { scheduler, first } = fullFarm();
    endProcs(scheduler, first.bookings, 'h1', 2);
    scheduler.updateJob(job('j1', 'ab', { paused: true }));
    expect(scheduler.scheduleHost('h1').bookings).toEqual([]);
    scheduler.updateJob(job('j1', 'ab'));
    expect(scheduler.scheduleHost('h1').bookings).toHaveLength(2);
  });

  it('frames that become ready are booked; frames no longer ready are not', () => {
    const scheduler = new Scheduler(simpleFarm({ frames: 2 }));
    expect(scheduler.schedule().bookings.map((b) => b.frameId)).toEqual([1, 2]);
    scheduler.addFrames([
      { id: 500, layerId: 'render', order: 0 },
      { id: 501, layerId: 'render', order: 1 },
    ]);
    scheduler.removeFrames([{ id: 500, layerId: 'render' }]);
    expect(scheduler.scheduleHost('h1').bookings.map((b) => b.frameId)).toEqual([501]);
  });

  it('a frame whose launch failed goes back and is booked again', () => {
    const scheduler = new Scheduler(simpleFarm({ frames: 1 }));
    const [booking] = scheduler.schedule().bookings;
    if (!booking) throw new Error('expected a booking');
    scheduler.release(booking);
    scheduler.addFrames([{ id: booking.frameId, layerId: booking.layerId, order: 1 }]);
    expect(scheduler.scheduleHost('h1').bookings.map((b) => b.frameId)).toEqual([booking.frameId]);
  });

  it('a limit that frees up lets its layers book again', () => {
    const { scheduler, first } = fullFarm({ layer: { limits: ['nuke'] }, limits: [limit('nuke', 3)] });
    expect(first.bookings).toHaveLength(3);
    const [ended] = endProcs(scheduler, first.bookings, first.bookings[0]?.hostId ?? 'h1', 1);
    expect(ended).toBeDefined();
    expect(scheduler.scheduleHost(ended?.hostId ?? 'h1').bookings).toHaveLength(1);
    scheduler.updateLimit(limit('nuke', 5, 3));
    expect(scheduler.scheduleHost('h2').bookings).toHaveLength(2);
  });

  it('a job submitted between passes is booked by priority', () => {
    const { scheduler, first } = fullFarm();
    endProcs(scheduler, first.bookings, 'h2', 2);
    scheduler.addJob(job('urgent', 'ab', { priority: 900 }), [layer('u', 'urgent')], frames('u', 9000, 5));
    expect(scheduler.scheduleHost('h2').bookings.map((b) => b.jobId)).toEqual(['urgent', 'urgent']);
  });

  it('jobs added in one batch book exactly as the same jobs added one by one', () => {
    const arriving = Array.from({ length: 30 }, (_, i) => ({
      job: job(`new${String(i).padStart(2, '0')}`, 'ab', { priority: 200 + ((i * 37) % 7), submittedAt: 1000 + (i % 5) }),
      layers: [layer(`l${i}`, `new${String(i).padStart(2, '0')}`)],
      frames: frames(`l${i}`, 10_000 + i * 10, 3),
    }));
    const one = fullFarm();
    const batch = fullFarm();
    for (const b of [one, batch]) endProcs(b.scheduler, b.first.bookings, 'h1', 6);
    for (const a of arriving) one.scheduler.addJob(a.job, a.layers, a.frames);
    batch.scheduler.addJobs(arriving);
    const planOne = [one.scheduler.scheduleHost('h1'), one.scheduler.schedule()];
    const planBatch = [batch.scheduler.scheduleHost('h1'), batch.scheduler.schedule()];
    expect(planBatch.map((p) => p.bookings)).toEqual(planOne.map((p) => p.bookings));
    // Priority 206 first (jobs 3, 10, 17, 24), earliest submitted first: job 10 (at 1000), then 17 (1002).
    expect(planBatch[0]?.bookings.map((b) => b.jobId)).toEqual(['new10', 'new10', 'new10', 'new17', 'new17', 'new17']);
    expect(batch.scheduler.schedule().unbooked.length).toBe(one.scheduler.schedule().unbooked.length);
  });

  it('a batch with one bad job is refused whole: nothing of it is added', () => {
    const { scheduler, first } = fullFarm();
    endProcs(scheduler, first.bookings, 'h1', 2);
    const good = { job: job('good', 'ab', { priority: 900 }), layers: [layer('g', 'good')], frames: frames('g', 9000, 5) };
    const bad = { job: job('bad', 'ab'), layers: [layer('b', 'bad', { limits: ['nope'] })], frames: frames('b', 9100, 5) };
    expect(() => scheduler.addJobs([good, bad])).toThrow("layer 'b' uses limit 'nope', which is not in the scheduler's farm");
    expect(scheduler.hasJob('good')).toBe(false);
    expect(scheduler.scheduleHost('h1').bookings.map((b) => b.jobId)).toEqual(['j1', 'j1']);
  });

  it('a show whose procs end falls below its burst and books again', () => {
    const { scheduler, first } = fullFarm({ sub: [4, 10] });
    expect(first.bookings).toHaveLength(10);
    endProcs(scheduler, first.bookings, 'h2', 2);
    expect(scheduler.scheduleHost('h2').bookings).toHaveLength(2);
    expect(scheduler.scheduleHost('h2').bookings).toHaveLength(0);
  });

  it('BALANCED: when a job frees cores, it catches up first', () => {
    const scheduler = new Scheduler(
      farm({
        hosts: [host('h1', { cores: 4 })],
        shows: [show('ab', { 'lax.general': [100, 100] }, { mode: 'BALANCED' })],
        jobs: [job('a', 'ab'), job('b', 'ab')],
        layers: [layer('la', 'a'), layer('lb', 'b')],
        frames: [...frames('la', 1, 10), ...frames('lb', 100, 10)],
      }),
    );
    const first = scheduler.schedule();
    for (const b of first.bookings.filter((x) => x.jobId === 'a')) scheduler.release(b);
    expect(scheduler.scheduleHost('h1').bookings.map((b) => b.jobId)).toEqual(['a', 'a']);
  });

  const refusals: [string, (s: Scheduler) => void, string][] = [
    [
      'a booking on an unknown host',
      (s) => s.release({ frameId: 1, jobId: 'j1', layerId: 'render', hostId: 'ghost', cores: 1, memoryMb: 1, gpus: [], gpuMemoryMb: 0 }),
      "names host 'ghost', which is not in the scheduler's farm",
    ],
    ['a pass over an unknown host', (s) => s.scheduleHost('ghost'), "host 'ghost' is not in the scheduler's farm"],
    [
      'frames of an unknown layer',
      (s) => s.addFrames([{ id: 7, layerId: 'ghost', order: 0 }]),
      "layer 'ghost' is not in the scheduler's farm",
    ],
    ['a host report with negative idle cores', (s) => s.updateHost(host('h1', { idleCores: -1 })), "host 'h1' (h1) has idleCores -1"],
  ];
  it.each(refusals)('refuses %s', (_name, act, message) => {
    const { scheduler } = fullFarm();
    expect(() => act(scheduler)).toThrow(AppError);
    expect(() => act(scheduler)).toThrow(message);
  });
});
