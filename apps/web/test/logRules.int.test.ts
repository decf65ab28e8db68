/**
 * Error patterns per show and users' alert rules on a real farm (the dispatcher in process, a
 * real rqd running real commands; SQLite, and PostgreSQL when it answers): the defaults until a
 * show sets its own, bad patterns refused by field with nothing stored; a matching log line makes
 * one notification linking to its line, however often the line repeats, only for the rule's
 * owner, and a flood of matches is cut at the per-user limit.
 */
import os from 'node:os';
import { ALERT_MAX_PER_WINDOW, AppError, DEFAULT_ERROR_PATTERNS, LOG_ALERT_KIND } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { submitJob } from '../src/server/services/commands';
import { addAlertRule, listAlertRules, removeAlertRule, setShowErrorPatterns, showErrorPatterns } from '../src/server/services/logRules';
import { startWebFarm, type WebFarm } from './support/farm';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    if (e instanceof ZodError) return new AppError('VALIDATION', e.message);
    throw e;
  }
  throw new Error('expected a refusal');
}

/** Frames run as their job's user: the user running the tests exists on this host. */
const me = os.userInfo().username;

describe.each(testProviders())('log rules on %s', (provider) => {
  let farm: WebFarm;

  beforeAll(async () => {
    farm = await startWebFarm(provider);
    farm.startRqd('alerthost');
  });
  afterAll(async () => {
    await farm?.stop();
  });

  it('a show uses the default error patterns until it sets its own, and goes back to them when emptied', async () => {
    expect(await showErrorPatterns(farm.db, 'sandbox')).toEqual({ show: 'sandbox', patterns: DEFAULT_ERROR_PATTERNS, isDefault: true });
    const set = await setShowErrorPatterns(farm.db, { show: 'sandbox', patterns: ['FATAL', 'license .* not available', 'FATAL'] });
    expect(set).toEqual({ show: 'sandbox', patterns: ['FATAL', 'license .* not available'], isDefault: false });
    expect((await showErrorPatterns(farm.db, 'sandbox')).patterns).toEqual(['FATAL', 'license .* not available']);
    expect((await setShowErrorPatterns(farm.db, { show: 'sandbox', patterns: [] })).isDefault).toBe(true);
  });

  it('refuses a pattern that is not a regex, or matches every line, naming it, and stores nothing', async () => {
    await setShowErrorPatterns(farm.db, { show: 'sandbox', patterns: ['keep me'] });
    const bad = await refusal(setShowErrorPatterns(farm.db, { show: 'sandbox', patterns: ['ok', 'unclosed ('] }));
    expect(bad.message).toContain("'unclosed (' is not a valid regular expression");
    const empty = await refusal(setShowErrorPatterns(farm.db, { show: 'sandbox', patterns: ['.*'] }));
    expect(empty.message).toContain('matches empty text');
    expect((await showErrorPatterns(farm.db, 'sandbox')).patterns).toEqual(['keep me']);
    const noShow = await refusal(showErrorPatterns(farm.db, 'nope'));
    expect(noShow.code).toBe('NOT_FOUND');
    await setShowErrorPatterns(farm.db, { show: 'sandbox', patterns: [] });
  });

  it('a line matching a rule notifies its owner once per attempt, linking to the line, and nobody else', async () => {
    const rule = await addAlertRule(farm.db, me, { pattern: 'license .* not available' });
    await addAlertRule(farm.db, 'bob', { pattern: 'license' }); // bob's rule: my job never notifies bob
    await farm.dispatcher.logWatch.rules.refresh();
    const answer = await submitJob(
      { db: farm.db, dispatcherUrl: farm.deps.dispatcherUrl },
      {
        name: 'licence-loop',
        show: 'sandbox',
        user: me,
        maxRetries: 0,
        layers: [
          {
            name: 'render',
            // The matching line repeats 30 times: a looping log must not flood.
            command: 'echo starting; for i in $(seq 1 30); do echo "license arnold not available ($i)"; done; echo done',
            range: '1',
            memoryMb: 64,
          },
        ],
      },
    );
    const jobId = answer.jobId as string;
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
    await farm.dispatcher.logWatch.settled();
    const notes = await farm.db.prisma.notification.findMany({ where: { kind: LOG_ALERT_KIND } });
    expect(notes.map((n) => n.user)).toEqual([me]);
    const note = notes[0];
    expect(note?.body).toBe('license arnold not available (1)');
    expect(note?.title).toContain('license .* not available');
    const frame = await farm.db.prisma.frame.findFirstOrThrow({ where: { jobId } });
    // The link opens the frame's log at the matching line: the line the file really has there.
    const link = new URL(note?.link ?? '', 'http://web.test');
    expect(link.pathname).toBe(`/jobs/${jobId}`);
    expect(link.searchParams.get('frame')).toBe(String(frame.id));
    expect(link.searchParams.get('attempt')).toBe('1');
    const { readFrameLogText } = await logText(farm, frame.id);
    const line = Number(link.searchParams.get('line'));
    expect(readFrameLogText.split('\n')[line - 1]).toBe('license arnold not available (1)');
    const event = await farm.db.prisma.farmEvent.findFirstOrThrow({ where: { kind: LOG_ALERT_KIND } });
    expect(note?.eventId).toBe(event.id);
    expect(JSON.parse(event.payload)).toMatchObject({ jobId, user: me, pattern: rule.pattern, line });

    expect((await listAlertRules(farm.db, me)).map((r) => r.pattern)).toEqual(['license .* not available']);
    await removeAlertRule(farm.db, me, rule.id);
    expect(await listAlertRules(farm.db, me)).toEqual([]);
    expect((await refusal(removeAlertRule(farm.db, me, rule.id))).code).toBe('NOT_FOUND');
  });

  it('a rule added while the frame runs still links to the right line', async () => {
    const answer = await submitJob(
      { db: farm.db, dispatcherUrl: farm.deps.dispatcherUrl },
      {
        name: 'late-rule',
        show: 'sandbox',
        user: me,
        maxRetries: 0,
        layers: [
          { name: 'render', command: 'echo one; echo two; sleep 3; echo "disk quota exceeded"; echo after', range: '1', memoryMb: 64 },
        ],
      },
    );
    const jobId = answer.jobId as string;
    await farm.waitForJob(jobId, (j) => j.counts.RUNNING === 1);
    const rule = await addAlertRule(farm.db, me, { pattern: 'quota exceeded' });
    await farm.dispatcher.logWatch.rules.refresh();
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
    await farm.dispatcher.logWatch.settled();
    const note = await farm.db.prisma.notification.findFirstOrThrow({ where: { user: me, body: 'disk quota exceeded' } });
    const frame = await farm.db.prisma.frame.findFirstOrThrow({ where: { jobId } });
    const line = Number(new URL(note.link ?? '', 'http://web.test').searchParams.get('line'));
    expect((await logText(farm, frame.id)).readFrameLogText.split('\n')[line - 1]).toBe('disk quota exceeded');
    await removeAlertRule(farm.db, me, rule.id);
  });

  it(`a flood of matching frames is cut at ${ALERT_MAX_PER_WINDOW} alerts a minute for the user`, async () => {
    await addAlertRule(farm.db, me, { pattern: 'segfault', show: 'sandbox' });
    await farm.dispatcher.logWatch.rules.refresh();
    const answer = await submitJob(
      { db: farm.db, dispatcherUrl: farm.deps.dispatcherUrl },
      {
        name: 'flood',
        show: 'sandbox',
        user: me,
        maxRetries: 0,
        layers: [{ name: 'render', command: 'echo "segfault in frame #FRAME#"', range: '1-16', memoryMb: 64 }],
      },
    );
    await farm.waitForJob(answer.jobId as string, (j) => j.state === 'SUCCEEDED', 60_000);
    await farm.dispatcher.logWatch.settled();
    expect(await farm.db.prisma.notification.count({ where: { user: me, kind: LOG_ALERT_KIND } })).toBe(ALERT_MAX_PER_WINDOW);
  }, 90_000);
});

/** The frame's first attempt's log as the web reads it. */
async function logText(farm: WebFarm, frameId: number): Promise<{ readFrameLogText: string }> {
  const { readFrameLog } = await import('../src/server/services/logs');
  const res = await readFrameLog(farm.db, farm.logRoot, { frameId, attempt: 1, offset: 0, range: null });
  return { readFrameLogText: await res.text() };
}
