import { describe, expect, it } from 'vitest';
import { ReadDeltas, readWithDeltas } from '../src/client/readDeltas';

/** A read whose answer the test gives when it wants: the network, without timing. */
function pendingRead<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { read: () => promise, resolve };
}

const appendAll = (data: string[], early: string[]) => [...data, ...early];

describe('deltas that arrive while a page reads its data', () => {
  it('are applied on top of the read, in arrival order', async () => {
    const deltas = new ReadDeltas<string>();
    const pending = pendingRead<string[]>();
    const result = readWithDeltas(deltas, pending.read, appendAll);
    deltas.push(['RUNNING', 'SUCCEEDED']);
    pending.resolve(['read']);
    expect(await result).toEqual(['read', 'RUNNING', 'SUCCEEDED']);
    expect(deltas.reading).toBe(false);
  });

  it('reach both reads when a second read starts before the first returns', async () => {
    const deltas = new ReadDeltas<string>();
    const first = pendingRead<string[]>();
    const second = pendingRead<string[]>();
    const a = readWithDeltas(deltas, first.read, appendAll);
    deltas.push(['d1']);
    const b = readWithDeltas(deltas, second.read, appendAll);
    first.resolve(['first']);
    expect(await a).toEqual(['first', 'd1']);
    deltas.push(['d2']);
    second.resolve(['second']);
    expect(await b).toEqual(['second', 'd2']);
  });

  it('are not kept for a read that failed', async () => {
    const deltas = new ReadDeltas<string>();
    const failed = readWithDeltas(deltas, () => Promise.reject(new Error('database unreachable')), appendAll);
    await expect(failed).rejects.toThrow('database unreachable');
    expect(deltas.reading).toBe(false);
  });

  it('before any read are not held anywhere', () => {
    const deltas = new ReadDeltas<string>();
    deltas.push(['lost on purpose: the read that follows is newer']);
    expect(deltas.reading).toBe(false);
  });
});
