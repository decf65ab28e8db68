/**
 * Group commit. A transition marks what it changed (a frame, a job, a proc booked or freed, an
 * attempt, usage); rare changes queue a write of their own (a submission, a command). The
 * store commits the marked rows in one transaction (then, in another, the queued writes), as one
 * set-based statement per table, with the values memory holds when the commit starts — so a
 * frame booked, started and finished between two commits costs one row. A caller awaits
 * `commit()` before it acknowledges or acts (persist before acknowledge). Memory runs ahead of
 * the database only until the next commit; a commit that keeps failing leaves memory ahead for
 * good, so the store then gives up (`onFatal`) and a restart rebuilds memory from the database
 * and the hosts' journals.
 */
import { FARM_EVENT } from '../events/tables';
import type { MemAttempt, MemFrame, MemHost, MemJob, MemLayer, MemProc } from '../farm/model';
import { type Dialect, dialectFor, type Row, type Statement } from './sql';
import {
  DEPEND_SATISFIED,
  FRAME,
  frameRow,
  HOST,
  hostRow,
  JOB,
  jobRow,
  LAYER,
  layerRow,
  procAndAttemptStatements,
  SHOW_USAGE,
} from './tables';
import type { Lane, Writer } from './writer';

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface Queued extends Waiter {
  statements: readonly Statement[];
}

export interface StoreStats {
  commits: number;
  statements: number;
  rows: number;
}

/** Retries of a failed commit before the store gives up (a database that is down stays down). */
const ATTEMPTS = 5;

/**
 * Commits start at most this often. Under load a commit every tick would carry a few rows each,
 * and a commit's own cost (on SQLite ~0.5 ms, blocking) would dominate; waiting a few
 * milliseconds gathers hundreds of rows into the same statements. Idle, the wait is one tick.
 */
const COMMIT_EVERY_MS = 4;

/** A commit whose timer has not fired this long after it was due is started from a microtask (see kick). */
const OVERDUE_MS = 5;

export class Store {
  readonly dialect: Dialect;
  readonly stats: StoreStats = { commits: 0, statements: 0, rows: 0 };
  private frames = new Set<MemFrame>();
  private jobs = new Set<MemJob>();
  private layers = new Set<MemLayer>();
  private hosts = new Set<MemHost>();
  private procsPut = new Map<string, MemProc>();
  /** Proc ids freed, with their frames. */
  private procsDropped = new Map<string, number>();
  private attempts = new Set<MemAttempt>();
  private usage = new Map<string, { showId: string; day: string; coreSeconds: number; frames: number }>();
  private satisfied = new Map<string, number>();
  /** Farm events (the outbox): written in the same commit as the change that caused them. */
  private events: Row[] = [];
  private queued: Queued[] = [];
  private waiters: Waiter[] = [];
  /**
   * With a writer that has a bookings lane (PostgreSQL): bookings marked and not yet taken by the
   * lane, numbered in the order marked; who waits for bookings alone, with the number of the last
   * booking marked when they asked; the frames of the bookings the lane is committing (and the
   * lowest number among them); the frames the main connection is committing.
   */
  private bookings = new Map<MemProc, { frame: MemFrame; seq: number; whole: boolean }>();
  private bookingSeq = 0;
  private bookingWaiters: (Waiter & { need: number })[] = [];
  private laneFrames = new Set<number>();
  private laneLowest = Number.POSITIVE_INFINITY;
  private laneFlight: Promise<void> | null = null;
  private laneRunning = false;
  private mainFrames = new Set<number>();
  private flushing: Promise<void> | null = null;
  private closed = false;
  private failed: unknown = null;

  constructor(
    private readonly writer: Writer,
    private readonly onFatal: (e: unknown) => void,
    private readonly onCommit: (seconds: number, rows: number) => void = () => undefined,
  ) {
    this.dialect = dialectFor(writer.provider);
  }

  frame(f: MemFrame): void {
    this.frames.add(f);
    this.kick();
  }
  job(j: MemJob): void {
    this.jobs.add(j);
    this.kick();
  }
  layer(l: MemLayer): void {
    this.layers.add(l);
    this.kick();
  }
  host(h: MemHost): void {
    this.hosts.add(h);
    this.kick();
  }
  attempt(a: MemAttempt): void {
    this.attempts.add(a);
    this.kick();
  }
  /** A frame booked: its row, its proc and its attempt; `bookingsCommitted` waits for these alone. */
  booked(f: MemFrame, p: MemProc): void {
    // A frame with nothing marked is committed as memory held it before this booking: WAITING,
    // its previous attempt (if any) ended and its proc gone. Otherwise its marked rows (an
    // attempt's end, a retry counted) go with the booking (`whole`), see takeBookings.
    const whole = this.frames.has(f);
    this.frames.add(f);
    this.procsPut.set(p.id, p);
    this.attempts.add(p.history);
    if (!this.writer.lanes) this.kick();
    else {
      this.bookings.set(p, { frame: f, seq: ++this.bookingSeq, whole });
      this.kickLane();
    }
  }
  procFreed(p: MemProc): void {
    this.procsPut.delete(p.id);
    this.procsDropped.set(p.id, p.frameId);
    this.attempts.add(p.history);
    this.kick();
  }
  usageOf(showId: string, day: string, coreSeconds: number): void {
    const key = `${showId}|${day}`;
    const u = this.usage.get(key);
    if (u) {
      u.coreSeconds += coreSeconds;
      u.frames++;
    } else this.usage.set(key, { showId, day, coreSeconds, frames: 1 });
    this.kick();
  }
  dependSatisfied(id: string, at: number): void {
    this.satisfied.set(id, at);
    this.kick();
  }
  /** A farm event row (events/tables.ts FARM_EVENT), committed with the marks of the same tick. */
  event(row: Row): void {
    this.events.push(row);
    this.kick();
  }

  /** Resolves once everything marked so far is committed. */
  commit(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new Error('the dispatcher is stopping: nothing more is written'));
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.kick();
    });
  }

  /**
   * Resolves once the bookings marked so far are committed. With a writer that has a bookings
   * lane (PostgreSQL) they are committed there, on a connection of their own — their procs and
   * attempts (see takeBookings) — beside everything else: a core freed while frames end by the
   * thousand (each a frame row, an attempt and a proc to write) is booked again, and its launch
   * leaves, without waiting for the other ends of that moment to be written. The two connections
   * never write the same row at once: the main one leaves the rows of a frame being booked
   * marked until the lane has committed it, and the lane leaves a booking whose frame the main
   * connection is writing until that commit ends. The proc freed on a host can then be written
   * after the one booked on it: a restart in between finds the host booked past its size for a
   * moment, until rqd resends that end (it is not acknowledged before it is committed).
   */
  bookingsCommitted(): Promise<void> {
    if (!this.writer.lanes) return this.commit();
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new Error('the dispatcher is stopping: nothing more is written'));
    return new Promise<void>((resolve, reject) => {
      this.bookingWaiters.push({ resolve, reject, need: this.bookingSeq });
      this.settleBookingWaiters();
      this.kickLane();
    });
  }

  /** Bookings waiters whose bookings are all committed (or gone) are resolved. */
  private settleBookingWaiters(): void {
    let lowest = this.laneLowest;
    for (const { seq } of this.bookings.values()) lowest = Math.min(lowest, seq);
    const left: (Waiter & { need: number })[] = [];
    for (const w of this.bookingWaiters) {
      if (w.need < lowest) w.resolve();
      else left.push(w);
    }
    this.bookingWaiters = left;
  }

  private kickLane(): void {
    if (this.laneRunning || this.failed || this.closed) return;
    this.laneRunning = true;
    // After the current pass has marked all its bookings.
    queueMicrotask(() => void this.laneLoop());
  }

  /** Commits bookings on the lane, one transaction at a time, as long as there are any it may take. */
  private async laneLoop(): Promise<void> {
    try {
      while (this.bookings.size > 0 && !this.failed) {
        const taken = this.takeBookings();
        if (taken.rows === 0) break; // the ones left wait for the main connection's commit of their frames
        const flight = this.commitBatch([], taken.statements, taken.rows, 'bookings');
        this.laneFlight = flight.catch(() => undefined);
        await flight;
        this.laneFrames = new Set();
        this.laneLowest = Number.POSITIVE_INFINITY;
        this.laneFlight = null;
        this.settleBookingWaiters();
        this.kick(); // the booked frames' rows, left to the main connection
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.laneRunning = false;
    }
    this.settleBookingWaiters();
  }

  /**
   * Queues statements of their own (a submission, a command's outcome), committed in a
   * transaction of their own right after the marked rows waiting with them; resolves once
   * committed, or rejects if they alone fail. The caller changes memory only once this resolves,
   * so no marked row ever refers to a row these create before they are committed.
   */
  run(statements: readonly Statement[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new Error('the dispatcher is stopping: nothing more is written'));
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ statements, resolve, reject });
      this.kick();
    });
  }

  /**
   * Start the next commit as soon as the current synchronous work is done (a microtask), without
   * waiting for the commit interval or the end of the event loop's turn; if a commit is running,
   * the next one starts the moment it ends. For a pass that booked many frames at once: their
   * launches wait for nothing but their commit.
   */
  hurry(): void {
    if (!this.wakeFromMicrotask()) this.hurried = true;
  }

  /** The writer commits synchronously (SQLite), so `commitNow` can commit within the caller's turn. */
  get synchronous(): boolean {
    return !!this.writer.transactionNow;
  }

  /**
   * Commits the marked rows now, within the caller's turn, when the writer is synchronous
   * (SQLite), and resolves the commits awaited so far; answers whether it did. Queued writes keep
   * waiting for the flush loop. Refused (false) while the flush loop holds rows it took but has
   * not committed (a retry): newer values must not be committed before older ones. A failure
   * leaves the rows to the flush loop, which commits them first, before anything marked later.
   */
  commitNow(): boolean {
    const now = this.writer.transactionNow?.bind(this.writer);
    if (!now || this.failed || this.closed || this.inFlight || this.carried) return false;
    const waiters = this.waiters;
    this.waiters = [];
    const taken = this.takeStatements();
    const started = performance.now();
    try {
      now(taken.statements);
    } catch {
      this.carried = taken;
      this.waiters = [...waiters, ...this.waiters];
      this.kick();
      return false;
    }
    this.counted(started, taken.statements.length, taken.rows);
    for (const w of waiters) w.resolve();
    return true;
  }

  /** Waits for everything queued so far to be committed. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    if (this.waiters.length > 0 || this.queued.length > 0 || this.hasMarks()) await this.commit().catch(() => undefined);
    await this.drain();
    this.closed = true;
    await this.writer.close();
  }

  private hasMarks(): boolean {
    const marks =
      (this.carried ? 1 : 0) +
      this.frames.size +
      this.jobs.size +
      this.layers.size +
      this.hosts.size +
      this.procsPut.size +
      this.procsDropped.size +
      this.attempts.size +
      this.usage.size +
      this.satisfied.size +
      this.bookings.size +
      this.events.length;
    return marks > 0;
  }

  private kick(): void {
    if (!this.flushing && !this.closed && !this.failed) this.flushing = this.flushLoop();
    else if (this.wake && performance.now() > this.dueAt) {
      // The commit's timer is overdue: the event loop is busy with a long turn of socket reads.
      // Commit from a microtask instead (after the ones already queued, e.g. the host pass that
      // books on the cores this event freed), so launches and acks do not wait for the turn to end.
      this.wakeFromMicrotask();
    }
  }

  /** Ends the flush loop's wait from a microtask, if it is waiting; answers whether it was. */
  private wakeFromMicrotask(): boolean {
    const wake = this.wake;
    if (!wake) return false;
    this.wake = null;
    queueMicrotask(wake);
    return true;
  }

  private lastCommitAt = 0;
  /** Ends the flush loop's wait early (see kick); null while a commit runs. */
  private wake: (() => void) | null = null;
  /** A hurry() came while a commit ran: the next one starts without waiting. */
  private hurried = false;
  /** When the flush loop's wait counts as overdue. */
  private dueAt = Number.POSITIVE_INFINITY;
  /** The flush loop took marked rows and has not committed them yet (see commitNow). */
  private inFlight = false;
  /** Marked rows a failed commitNow took: the flush loop commits them before any others. */
  private carried: { statements: Statement[]; rows: number } | null = null;

  /** Lets the current tick mark more before committing, and a busy dispatcher a few ms more; `wake` ends it early. */
  private interval(): Promise<void> {
    const wait = this.lastCommitAt + COMMIT_EVERY_MS - performance.now();
    const waitFrom = performance.now();
    return new Promise<void>((resolve) => {
      const done = () => {
        this.wake = null;
        resolve();
      };
      if (wait > 1) {
        const timer = setTimeout(done, wait);
        this.wake = () => {
          clearTimeout(timer);
          done();
        };
      } else {
        const immediate = setImmediate(done);
        this.wake = () => {
          clearImmediate(immediate);
          done();
        };
      }
      this.dueAt = waitFrom + Math.max(wait, 0) + OVERDUE_MS;
    });
  }

  private async flushLoop(): Promise<void> {
    while (true) {
      if (this.hurried) {
        this.hurried = false;
        await Promise.resolve(); // the commit that just ended resolves its waiters first
      } else await this.interval();
      if (this.waiters.length === 0 && this.queued.length === 0 && !this.hasMarks()) break;
      this.lastCommitAt = performance.now();
      let waiters: Waiter[] = [];
      let queued: Queued[] = [];
      try {
        waiters = this.waiters;
        queued = this.queued;
        this.waiters = [];
        this.queued = [];
        // What the bookings lane commits now may hold rows marked before these waiters asked.
        const lane = this.laneFlight;
        const { statements, rows, left } = this.takeStatements();
        this.inFlight = statements.length > 0;
        if (statements.length > 0 && queued.length > 0) {
          // The marked rows go first, on their own: they carry bookings whose launches wait, and
          // a queued write can be a submission's thousands of rows. The order is free, because no
          // marked row refers to a row a queued write creates: a caller changes memory only once
          // its write is committed. The queued writes follow a loop turn later, the launches out.
          await this.commitBatch([], statements, rows);
          waiters = await this.resolveWaiters(waiters, lane, left);
          await new Promise((resolve) => setImmediate(resolve));
          await this.commitBatch(queued, [], 0);
        } else {
          if (statements.length > 0 || queued.length > 0) await this.commitBatch(queued, statements, rows);
          waiters = await this.resolveWaiters(waiters, lane, left);
        }
      } catch (e) {
        this.fail(e, waiters, queued);
        break;
      } finally {
        this.mainFrames = new Set();
        if (this.bookings.size > 0) this.kickLane(); // bookings it left while this commit wrote their frames
      }
    }
    this.flushing = null;
  }

  /**
   * Resolves the waiters of a commit of the main connection, once the lane's commit that was
   * running when its rows were taken has ended too; if that commit left rows of frames being
   * booked marked, they wait for the next one instead. Answers who is left waiting (none).
   */
  private async resolveWaiters(waiters: Waiter[], lane: Promise<void> | null, left: boolean): Promise<Waiter[]> {
    if (lane) await lane;
    if (left) this.waiters = [...waiters, ...this.waiters];
    else for (const w of waiters) w.resolve();
    return [];
  }

  /** A commit failed for good: everyone waiting is refused, and the dispatcher told to stop. */
  private fail(e: unknown, waiters: Waiter[] = [], queued: Queued[] = []): void {
    if (this.failed) return;
    this.failed = e;
    for (const w of [...waiters, ...this.waiters, ...this.bookingWaiters]) w.reject(e);
    for (const q of [...queued, ...this.queued]) q.reject(e);
    this.waiters = [];
    this.bookingWaiters = [];
    this.queued = [];
    this.onFatal(e);
  }

  /**
   * One transaction of queued writes or marked rows (the flush loop commits them apart when it
   * has both). A queued write that fails on its own is refused to its caller and the rest
   * committed without it; a failure of the whole is retried, then fatal.
   */
  private async commitBatch(queued: Queued[], statements: Statement[], rows: number, lane: Lane = 'main'): Promise<void> {
    let pending = queued;
    let isolated = false;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        await this.writer.transaction([...pending.flatMap((q) => q.statements), ...statements], false, lane);
        if (lane === 'main') this.inFlight = false; // the rows the flush loop took are in
        this.counted(started, statements.length + pending.length, rows);
        for (const q of pending) q.resolve();
        return;
      } catch (e) {
        if (pending.length > 0 && !isolated) {
          pending = await this.isolate(pending);
          isolated = true;
          continue;
        }
        if (attempt >= ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  private counted(started: number, statements: number, rows: number): void {
    this.stats.commits++;
    this.stats.statements += statements;
    this.stats.rows += rows;
    this.onCommit((performance.now() - started) / 1000, rows);
  }

  /** Tries each queued group alone, undone after: the ones that fail are refused; answers those that can go. */
  private async isolate(queued: Queued[]): Promise<Queued[]> {
    const good: Queued[] = [];
    for (const q of queued) {
      try {
        await this.writer.transaction(q.statements, true);
        good.push(q);
      } catch (e) {
        q.reject(e);
      }
    }
    return good;
  }

  /**
   * Bookings for the lane, as statements of their own: each booked frame's proc and the attempt
   * it opens. The frame's own row (SETUP on its host) stays marked for the main connection's next
   * commit after this one: a restart in between finds the proc newer than its frame's row, and
   * loading takes the frame's booking from the proc (farm/load.ts). A booking whose frame had
   * rows marked already (`whole`: the previous attempt's end, a retry counted, its proc freed)
   * takes them along with the frame's row, so that no crash leaves an attempt open or a retry
   * uncounted; its proc replaces the previous attempt's row (the frame is the proc's key). Their
   * marks are cleared. Bookings of frames the main connection is writing stay for the lane's
   * next commit.
   */
  private takeBookings(): { statements: Statement[]; rows: number } {
    const d = this.dialect;
    const frames: MemFrame[] = [];
    const procs: MemProc[] = [];
    const attempts: MemAttempt[] = [];
    const whole = new Set<number>();
    for (const [proc, booking] of this.bookings) {
      const { frame } = booking;
      if (this.mainFrames.has(frame.id)) continue;
      this.bookings.delete(proc);
      if (!this.procsPut.delete(proc.id)) continue; // freed since: it goes with the rest
      procs.push(proc);
      this.laneFrames.add(frame.id);
      this.laneLowest = Math.min(this.laneLowest, booking.seq);
      if (!booking.whole) {
        if (this.attempts.delete(proc.history)) attempts.push(proc.history);
      } else {
        whole.add(frame.id);
        if (this.frames.delete(frame)) frames.push(frame);
      }
    }
    if (whole.size > 0) {
      for (const a of this.attempts)
        if (whole.has(a.frameId)) {
          attempts.push(a);
          this.attempts.delete(a);
        }
      for (const [id, frameId] of this.procsDropped) if (whole.has(frameId)) this.procsDropped.delete(id);
    }
    const statements = [
      ...(frames.length > 0 ? d.update(FRAME, frames.map(frameRow)) : []),
      ...procAndAttemptStatements(d, procs, attempts),
    ];
    return { statements: d.combine(statements), rows: frames.length + procs.length + attempts.length };
  }

  /**
   * The marked rows as statements, with the values memory holds now; the marks are cleared —
   * except the rows of frames the bookings lane is committing or will commit, which stay marked
   * (`left`). The frames taken are noted (`mainFrames`) until their commit ends.
   */
  private takeStatements(): { statements: Statement[]; rows: number; left: boolean } {
    const d = this.dialect;
    const carried = this.carried;
    this.carried = null;
    const lane = new Set(this.laneFrames);
    for (const { frame } of this.bookings.values()) lane.add(frame.id);
    const kept = {
      frames: new Set<MemFrame>(),
      procsPut: new Map<string, MemProc>(),
      procsDropped: new Map<string, number>(),
      attempts: new Set<MemAttempt>(),
    };
    if (lane.size > 0) {
      for (const f of this.frames) if (lane.has(f.id)) kept.frames.add(f);
      for (const [id, p] of this.procsPut) if (lane.has(p.frameId)) kept.procsPut.set(id, p);
      for (const [id, frameId] of this.procsDropped) if (lane.has(frameId)) kept.procsDropped.set(id, frameId);
      for (const a of this.attempts) if (lane.has(a.frameId)) kept.attempts.add(a);
      for (const f of kept.frames) this.frames.delete(f);
      for (const id of kept.procsPut.keys()) this.procsPut.delete(id);
      for (const id of kept.procsDropped.keys()) this.procsDropped.delete(id);
      for (const a of kept.attempts) this.attempts.delete(a);
    }
    const left = kept.frames.size + kept.procsPut.size + kept.procsDropped.size + kept.attempts.size > 0;
    for (const f of this.frames) this.mainFrames.add(f.id);
    for (const p of this.procsPut.values()) this.mainFrames.add(p.frameId);
    for (const frameId of this.procsDropped.values()) this.mainFrames.add(frameId);
    for (const a of this.attempts) this.mainFrames.add(a.frameId);
    const now = Date.now();
    const out: Statement[] = [];
    let rows = 0;
    const add = (list: Statement[], n: number) => {
      out.push(...list);
      rows += n;
    };
    if (this.hosts.size > 0)
      add(
        d.insert(
          HOST,
          [...this.hosts].map((h) => hostRow(h, now)),
          // The name is written once: setting a unique column would lock the row FOR UPDATE, and
          // the bookings lane's foreign-key checks on the host would wait for this commit.
          { conflict: ['id'], mode: 'replace', keep: ['createdAt', 'name'] },
        ),
        this.hosts.size,
      );
    if (this.jobs.size > 0) add(d.update(JOB, [...this.jobs].map(jobRow)), this.jobs.size);
    if (this.layers.size > 0) add(d.update(LAYER, [...this.layers].map(layerRow)), this.layers.size);
    if (this.frames.size > 0) add(d.update(FRAME, [...this.frames].map(frameRow)), this.frames.size);
    // A frame whose proc was freed and who was booked again since (a retry) keeps its one proc
    // row (the frame is its unique key), replaced by the new proc rather than deleted: so no
    // part of a commit deletes a key another part inserts, and the dialect may fold them together.
    const booked = new Set<number>();
    for (const p of this.procsPut.values()) booked.add(p.frameId);
    const dropped: string[] = [];
    for (const [id, frameId] of this.procsDropped) if (!booked.has(frameId)) dropped.push(id);
    if (dropped.length > 0) add(d.deleteWhereIn('Proc', 'id', 'text', dropped), dropped.length);
    add(procAndAttemptStatements(d, [...this.procsPut.values()], [...this.attempts]), this.procsPut.size + this.attempts.size);
    if (this.usage.size > 0)
      add(
        d.insert(
          SHOW_USAGE,
          [...this.usage.values()].map((u) => [u.showId, u.day, u.coreSeconds, u.frames]),
          { conflict: ['showId', 'day'], mode: 'add' },
        ),
        this.usage.size,
      );
    if (this.satisfied.size > 0)
      add(
        d.update(
          DEPEND_SATISFIED,
          [...this.satisfied].map(([id, at]) => [id, false, at]),
        ),
        this.satisfied.size,
      );
    if (this.events.length > 0) add(d.insert(FARM_EVENT, this.events), this.events.length);
    this.frames = kept.frames;
    this.jobs = new Set();
    this.layers = new Set();
    this.hosts = new Set();
    this.procsPut = kept.procsPut;
    this.procsDropped = kept.procsDropped;
    this.attempts = kept.attempts;
    this.usage = new Map();
    this.satisfied = new Map();
    this.events = [];
    // Each table's rows go in one statement (or a few chunks of distinct rows), procs dropped and
    // procs put are distinct, and queued writes never share their transaction: so the dialect may
    // fold these into one statement.
    const statements = d.combine(out);
    return carried ? { statements: [...carried.statements, ...statements], rows: rows + carried.rows, left } : { statements, rows, left };
  }
}
