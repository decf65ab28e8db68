import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../src';
import { FrameQueue } from '../src/frameQueue';
import type { ReadyFrame } from '../src/types';
import { host, simpleFarm } from './builders';

const ready = (id: number, order: number): ReadyFrame => ({ id, layerId: 'l', order });
const byOrder = (a: ReadyFrame, b: ReadyFrame) => a.order - b.order || a.id - b.id;

/** Steps on a queue: take the next frame, a frame becomes ready (again), a frame stops being ready, a pass ends (left()). */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('take' as const) }),
  fc.record({ kind: fc.constant('insert' as const), id: fc.integer({ min: 1, max: 40 }), order: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('left' as const) }),
  fc.record({
    kind: fc.constant('insertMany' as const),
    frames: fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 40 }), order: fc.integer({ min: 0, max: 40 }) }), {
      selector: (f) => f.id,
      maxLength: 12,
    }),
  }),
);

describe('FrameQueue', () => {
  it('hands out exactly the frames ready now, lowest dispatch order first, each once (model-based)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 20 }),
        fc.array(stepArb, { maxLength: 60 }),
        (initialIds, steps) => {
          const initial = initialIds.map((id) => ready(id, id % 7)).sort(byOrder);
          const queue = new FrameQueue(initial, undefined, 0, initial.length);
          // The model: the frames ready and not yet taken.
          const model = new Map(initial.map((f) => [f.id, f]));
          for (const step of steps) {
            if (step.kind === 'take') {
              expect(queue.remaining).toBe(model.size);
              if (model.size === 0) continue;
              const expected = [...model.values()].sort(byOrder)[0] as ReadyFrame;
              expect(queue.peek()).toEqual(expected);
              expect(queue.take()).toEqual(expected);
              model.delete(expected.id);
            } else if (step.kind === 'insert') {
              // Only a frame not ready now becomes ready (it was taken, or never queued).
              if (model.has(step.id)) continue;
              const frame = ready(step.id, step.order);
              queue.insert(frame);
              model.set(frame.id, frame);
            } else if (step.kind === 'remove') {
              // A frame taken earlier (booked) is not in the queue any more: removing it changes nothing.
              expect(queue.remove(step.id)).toBe(model.delete(step.id));
            } else if (step.kind === 'insertMany') {
              const frames = step.frames.filter((f) => !model.has(f.id)).map((f) => ready(f.id, f.order));
              queue.insertMany(frames);
              for (const f of frames) model.set(f.id, f);
            } else {
              const slice = queue.left();
              expect(slice.to - slice.from).toBe(model.size);
            }
            expect(queue.remaining).toBe(model.size);
          }
          const rest: ReadyFrame[] = [];
          while (queue.remaining > 0) rest.push(queue.take());
          expect(rest).toEqual([...model.values()].sort(byOrder));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a frame ready again with a lower order than frames already taken is handed out, and no taken frame again', () => {
    const frames = [ready(1, 1), ready(2, 2), ready(3, 3)];
    const queue = new FrameQueue(frames, undefined, 0, 3);
    queue.insert(ready(9, 9)); // the queue now owns its array
    expect(queue.take().id).toBe(1);
    expect(queue.take().id).toBe(2);
    queue.insert(ready(1, 1)); // frame 1 failed and is retried
    expect([queue.take().id, queue.take().id, queue.take().id]).toEqual([1, 3, 9]);
    expect(queue.remaining).toBe(0);
  });
});

describe('the scheduler with frames coming back between passes', () => {
  it('never books a frame twice while booked, and books every frame that is ready (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ endCount: fc.integer({ min: 0, max: 4 }), retry: fc.boolean(), full: fc.boolean() }), {
          minLength: 1,
          maxLength: 25,
        }),
        (rounds) => {
          const scheduler = new Scheduler(simpleFarm({ hosts: [host('h1', { cores: 4 }), host('h2', { cores: 4 })], frames: 30 }));
          const running = new Map<number, ReturnType<Scheduler['schedule']>['bookings'][number]>();
          const done = new Set<number>();
          const book = (plan: ReturnType<Scheduler['schedule']>) => {
            for (const b of plan.bookings) {
              expect(running.has(b.frameId)).toBe(false);
              expect(done.has(b.frameId)).toBe(false);
              running.set(b.frameId, b);
            }
          };
          book(scheduler.schedule());
          for (const round of rounds) {
            const ended = [...running.values()].slice(0, round.endCount);
            for (const b of ended) {
              running.delete(b.frameId);
              scheduler.release(b);
              // A failed frame is ready again with its own (low) dispatch order; a succeeded one is done.
              if (round.retry) scheduler.addFrames([{ id: b.frameId, layerId: b.layerId, order: b.frameId }]);
              else done.add(b.frameId);
            }
            if (round.full) book(scheduler.schedule());
            else for (const b of ended) book(scheduler.scheduleHost(b.hostId));
          }
          // Everything ends: whatever is still ready is booked eventually, each frame once.
          for (let guard = 0; guard < 40 && running.size > 0; guard++) {
            for (const b of [...running.values()]) {
              running.delete(b.frameId);
              done.add(b.frameId);
              scheduler.release(b);
            }
            book(scheduler.schedule());
          }
          expect(running.size).toBe(0);
          expect([...done].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        },
      ),
      { numRuns: 200 },
    );
  });
});
