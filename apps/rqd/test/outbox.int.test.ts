/**
 * The outbox on its own, with a transport played by the test: events go out in seq order,
 * delivery starts over from the first unacknowledged event after a lost ack, and the journal on
 * disk carries undelivered events (log chunks as references into their file) to the next start.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ack } from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxEvent } from '../src/index';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'rqd-outbox-'));
}

const exited = (frameId: number): OutboxEvent => ({
  event: 'frame:exited',
  payload: {
    frameId,
    attempt: 1,
    exitStatus: 0,
    exitSignal: null,
    reason: 'EXITED',
    startedAt: 1,
    stoppedAt: 2,
    maxRssMb: 0,
    cpuSeconds: 0,
  },
});

interface Sent {
  event: string;
  payload: { seq: number; frameId: number; data?: string };
  answer: (ack: Ack | Error) => void;
}

/** A peer that records what it gets and answers when the test says. */
function peer() {
  const sent: Sent[] = [];
  const transport = (event: string, payload: object) =>
    new Promise<Ack>((resolve, reject) => {
      sent.push({ event, payload: payload as Sent['payload'], answer: (a) => (a instanceof Error ? reject(a) : resolve(a)) });
    });
  return { sent, transport };
}

const endOfTick = () => new Promise((resolve) => setImmediate(resolve));

describe('outbox', () => {
  it('sends events in order with increasing seq and forgets them once acknowledged', async () => {
    const outbox = new Outbox({ dir: tempDir() });
    const { sent, transport } = peer();
    outbox.attach(transport);
    for (const id of [1, 2, 3]) outbox.push(exited(id));
    expect(sent).toEqual([]); // journaled first, at the end of the tick, then sent
    await endOfTick();
    expect(sent.map((s) => s.payload.frameId)).toEqual([1, 2, 3]);
    const seqs = sent.map((s) => s.payload.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    for (const s of sent) s.answer({ ok: true });
    await outbox.drained();
    expect(outbox.pending).toBe(0);
  });

  it('after a lost acknowledgement, sends again from the first unacknowledged event, in order', async () => {
    const outbox = new Outbox({ dir: tempDir(), retryDelayMs: 1 });
    const { sent, transport } = peer();
    outbox.attach(transport);
    for (const id of [1, 2, 3]) outbox.push(exited(id));
    await endOfTick();
    sent[0]!.answer({ ok: true });
    sent[1]!.answer(new Error('ack timed out'));
    await new Promise<void>((resolve) => {
      const check = () => (sent.length >= 5 ? resolve() : setImmediate(check));
      check();
    });
    expect(sent.slice(3).map((s) => s.payload.frameId)).toEqual([2, 3]);
    for (const s of sent.slice(3)) s.answer({ ok: true });
    await outbox.drained();
  });

  it('a refused event is dropped (and reported), not retried forever', async () => {
    const refusals: string[] = [];
    const outbox = new Outbox({ dir: tempDir(), onRefused: (_seq, _event, error) => refusals.push(error) });
    const { sent, transport } = peer();
    outbox.attach(transport);
    outbox.push(exited(1));
    await endOfTick();
    sent[0]!.answer({ ok: false, error: 'frame 1 is not on this host' });
    await outbox.drained();
    expect(refusals).toEqual(['frame 1 is not on this host']);
  });

  it('undelivered events survive a restart through the journal, log chunks read back from their file', async () => {
    const dir = tempDir();
    const logFile = path.join(dir, 'frame.log');
    writeFileSync(logFile, 'header\nhello world\n');
    const first = new Outbox({ dir });
    const seq = first.push({
      event: 'frame:log',
      payload: { frameId: 9, attempt: 1, offset: 7, length: 12, file: logFile, data: 'hello world\n' },
    });
    first.push(exited(9));
    first.close();

    const second = new Outbox({ dir });
    expect(second.pending).toBe(2);
    const { sent, transport } = peer();
    second.attach(transport);
    expect(sent.map((s) => s.event)).toEqual(['frame:log', 'frame:exited']);
    expect(sent[0]!.payload).toEqual({ frameId: 9, attempt: 1, offset: 7, data: 'hello world\n', seq });
    expect(sent[1]!.payload.seq).toBeGreaterThan(seq);
    expect(second.push(exited(10))).toBeGreaterThan(sent[1]!.payload.seq);
  });
});
