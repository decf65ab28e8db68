/**
 * Reads the log chunks that flow through the dispatcher (rqd → here → `/live`) line by line,
 * for two things only, and only for the frames that need it:
 * - users' alert rules: a line of a user's job matching one of their rules makes an in-app
 *   notification (kind `log_alert`) linking to the frame's log at that line;
 * - preview frames: their last line (`farmhand-media {…}`) is stored as the frame's MediaFrame row.
 * Other frames only have their lines counted (so a rule added while a frame runs still links to
 * the right line). Notifications and media rows are written
 * with the model API outside the group commit: they are not scheduling state, they are rare
 * (rate-limited), and the frame's own transitions must never wait on them.
 */
import { ALERT_MAX_PER_WINDOW, ALERT_WINDOW_MS, frameLogLink, LOG_ALERT_KIND, type LogChunk } from '@farmhand/contracts';
import type { Dispatcher } from '../dispatcher';
import { pushNotifications } from '../events/push';
import type { MemJob } from '../farm/model';
import { AlertRules, type CompiledRule } from './alertRules';
import { parseMediaLine, storeMediaResult } from './mediaResults';

/** Where one attempt's log stands: the unfinished last line and how many lines came before it. */
interface AttemptLines {
  attempt: number;
  rest: string;
  /** Byte offset the next chunk should start at; a chunk elsewhere (a gap) makes line numbers unknown. */
  nextOffset: number;
  /** Lines completed so far, or null once a gap made the count unknown. */
  lines: number | null;
  /** Past rqd's header (which echoes the command, and would match rules of what it prints). */
  inOutput: boolean;
  /** Rules that already notified for this attempt: a looping log notifies once per rule. */
  notified: Set<string>;
}

/** ANSI colour codes, left out of the notification's text. */
const ANSI_COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The line ending rqd's log header (apps/rqd logLayout.ts). */
const OUTPUT_MARKER = '==== output ====';

/** A line longer than this is cut: a log without newlines must not grow memory. */
const MAX_LINE = 64 * 1024;

export class LogWatch {
  readonly rules: AlertRules;
  private readonly attempts = new Map<number, AttemptLines>();
  /** Per user: times of the alerts sent in the current window. */
  private readonly sent = new Map<string, number[]>();
  dropped = 0;
  /** Writes in flight, so tests and shutdown can wait for them. */
  private pending = new Set<Promise<unknown>>();

  constructor(private readonly d: Dispatcher) {
    this.rules = new AlertRules(d);
  }

  start(refreshMs = 2000): void {
    this.rules.start(refreshMs, () => this.prune());
  }

  async stop(): Promise<void> {
    this.rules.stop();
    await Promise.allSettled([...this.pending]);
  }

  chunk(c: LogChunk): void {
    const frame = this.d.farm.frames.get(c.frameId);
    if (!frame) return;
    const job = this.d.farm.jobs.get(frame.jobId);
    const layer = this.d.farm.layers.get(frame.layerId);
    if (!job || !layer) return;
    const rules = this.rules.forJob(job.user, job.showId);
    const preview = layer.type === 'PREVIEW';
    let at = this.attempts.get(c.frameId);
    if (!at || at.attempt !== c.attempt) {
      at = { attempt: c.attempt, rest: '', nextOffset: 0, lines: 0, inOutput: false, notified: new Set() };
      this.attempts.set(c.frameId, at);
    }
    if (c.offset !== at.nextOffset) {
      // A gap (the dispatcher restarted mid-frame): line numbers are unknown, the header long past.
      at.lines = null;
      at.rest = '';
      at.inOutput = c.offset > 0;
    }
    at.nextOffset = c.offset + Buffer.byteLength(c.data);
    if (rules.length === 0 && !preview) {
      // Nobody to alert: only count lines (a rule added while the frame runs links to the right line).
      countLines(at, c.data);
      return;
    }
    const parts = (at.rest + c.data).split('\n');
    at.rest = (parts.pop() ?? '').slice(0, MAX_LINE);
    for (const line of parts) {
      if (at.lines !== null) at.lines++;
      if (!at.inOutput) {
        at.inOutput = line === OUTPUT_MARKER;
        continue;
      }
      if (preview) {
        const result = parseMediaLine(line, job, this.d.farm.layers);
        if (result) this.track(storeMediaResult(this.d, result));
      }
      for (const rule of rules) {
        if (at.notified.has(rule.id) || !rule.regex.test(line)) continue;
        at.notified.add(rule.id);
        this.alert(rule, c, job, layer.name, frame.number, line, at.lines ?? undefined);
      }
    }
  }

  /** Waits for the notifications and media rows written so far. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private alert(
    rule: CompiledRule,
    c: LogChunk,
    job: MemJob,
    layerName: string,
    frameNumber: number,
    line: string,
    lineNumber: number | undefined,
  ): void {
    const now = Date.now();
    const times = (this.sent.get(rule.user) ?? []).filter((t) => now - t < ALERT_WINDOW_MS);
    if (times.length >= ALERT_MAX_PER_WINDOW) {
      this.dropped++;
      this.sent.set(rule.user, times);
      return;
    }
    times.push(now);
    this.sent.set(rule.user, times);
    const text = line.replace(ANSI_COLOURS, '').trim().slice(0, 500);
    const link = frameLogLink(job.id, c.frameId, c.attempt, lineNumber);
    const payload = {
      jobId: job.id,
      jobName: job.name,
      user: rule.user,
      layer: layerName,
      frame: frameNumber,
      frameId: c.frameId,
      attempt: c.attempt,
      line: lineNumber ?? null,
      text,
      pattern: rule.pattern,
    };
    this.track(
      (async () => {
        // The event (kind log_alert, for the record and webhooks that come to know it) and the
        // notification it makes, together.
        await this.d.db.$transaction(async (tx) => {
          const event = await tx.farmEvent.create({
            data: { kind: LOG_ALERT_KIND, showId: job.showId, jobId: job.id, user: rule.user, payload: JSON.stringify(payload) },
          });
          await tx.notification.create({
            data: {
              user: rule.user,
              eventId: event.id,
              kind: LOG_ALERT_KIND,
              title: `${job.name} · ${layerName} frame ${frameNumber}: log matched /${rule.pattern}/`,
              body: text,
              link,
            },
          });
        });
        await pushNotifications(this.d, [rule.user]);
      })(),
    );
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((e) => this.d.log.warn({ err: e }, 'log watch: a write failed')).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Forgets attempts of frames no longer running. */
  private prune(): void {
    for (const [frameId, at] of this.attempts) {
      const frame = this.d.farm.frames.get(frameId);
      if (!frame || frame.attempt !== at.attempt || (frame.state !== 'RUNNING' && frame.state !== 'SETUP')) this.attempts.delete(frameId);
    }
  }
}

/** Counts a chunk's lines without splitting it, and notes when rqd's header ends. */
function countLines(at: AttemptLines, data: string): void {
  let from = 0;
  for (let nl = data.indexOf('\n'); nl !== -1; nl = data.indexOf('\n', from)) {
    if (at.lines !== null) at.lines++;
    if (!at.inOutput && at.rest + data.slice(from, nl) === OUTPUT_MARKER) at.inOutput = true;
    at.rest = '';
    from = nl + 1;
  }
  at.rest = (at.rest + data.slice(from)).slice(0, MAX_LINE);
}
