/**
 * Bookings and their undoing. A booking from the scheduler becomes a proc on the host and a
 * frame in SETUP; the launch goes to the host only once that is committed. A frame that is not
 * running where it was booked — its launch failed, its start was never confirmed, its host
 * stopped listing it or went DOWN — is handed back: WAITING again, no failure counted, and the
 * host told to kill that attempt in case it runs after all (never two copies).
 */
import { DISPATCHER_EVENTS, type FrameLaunch, type LaunchAnswer } from '@farmhand/contracts';
import type { Booking } from '@farmhand/scheduler';
import { uncorkNow } from './corkPerTick';
import type { Dispatcher } from './dispatcher';
import { type MemFrame, type MemHost, type MemJob, type MemLayer, type MemProc, setFrameState } from './farm/model';
import { timeOrderedUuid } from './ids';
import type { Statement } from './persist/sql';
import { procAndAttemptStatements } from './persist/tables';

const LAUNCH_ACK_TIMEOUT_MS = 15_000;

/** Why a frame went back to WAITING without counting a failure; recorded on its attempt. */
export type HandBackReason = 'LAUNCH_FAILED' | 'SETUP_TIMEOUT' | 'LOST' | 'HOST_DOWN';

/** A pass booking at least this many frames commits at once (see Store.hurry). */
const HURRY_BOOKINGS = 32;

/** On SQLite a pass booking more frames than this is committed and launched this many at a time (see bookPass). */
const SLICE = 128;

/**
 * A pass's bookings: marked for commit, and once committed each host gets its launches in one
 * `frames:launch` message — a pass over a free farm books every core of a host at once, and one
 * message, one ack and one timer per host (and one commit promise per pass) instead of one per
 * frame is most of what sending a thousand launches costs. A pass that booked many frames (a
 * submission, a release of many) commits at once; the bookings of single freed cores keep the
 * commit interval, or every host message under load would be a commit of its own.
 *
 * On SQLite a large pass goes in slices: each is committed within this turn (commitNow: the
 * writer is synchronous, so nothing else happens between slices) and its launches written before
 * the next is booked, so the first hosts start after one slice's booking and commit rather than
 * the whole pass's. With an asynchronous writer (PostgreSQL) a pass commits at once: a later
 * slice would share its commit with whatever else was marked meanwhile, and wait behind it.
 */
export function bookPass(d: Dispatcher, bookings: readonly Booking[]): void {
  const sliced = bookings.length > SLICE && d.store.synchronous;
  const size = sliced ? SLICE : bookings.length;
  for (let from = 0; from < bookings.length; from += size) {
    const booked = bookAll(d, bookings.slice(from, from + size));
    if (booked.length === 0) continue;
    if (sliced && d.store.commitNow()) {
      launch(d, booked);
      uncorkNow();
      continue;
    }
    d.store.bookingsCommitted().then(
      () => launch(d, booked),
      () => undefined, // the store stops the dispatcher; a restart hands the frames back or adopts them
    );
    if (booked.length >= HURRY_BOOKINGS) d.store.hurry();
  }
}

function bookAll(d: Dispatcher, bookings: readonly Booking[]): Outgoing[] {
  const booked: Outgoing[] = [];
  for (const b of bookings) {
    const out = book(d, b);
    if (out) booked.push(out);
  }
  return booked;
}

/** Committed bookings: published, and each host's launches sent in one message. */
function launch(d: Dispatcher, booked: readonly Outgoing[]): void {
  const byHost = new Map<MemHost, Outgoing[]>();
  for (const o of booked) {
    d.publishFrame(o.frame);
    const list = byHost.get(o.host);
    if (list) list.push(o);
    else byHost.set(o.host, [o]);
  }
  for (const job of new Set(booked.map((o) => o.job))) d.publishJob(job);
  for (const [host, list] of byHost) sendLaunches(d, host, list);
}

/** One booking in memory, marked for the next commit; undefined when memory does not allow it. */
function book(d: Dispatcher, b: Booking): Outgoing | undefined {
  const { farm } = d;
  const frame = farm.frames.get(b.frameId);
  const out = reserve(d, b, frame, frame && farm.jobs.get(frame.jobId), frame && farm.layers.get(frame.layerId));
  if (!out) return undefined;
  d.metrics.bookingSeconds.observe({ cause: out.proc.cause }, (out.proc.bookedAt - out.proc.readySince) / 1000);
  d.store.booked(out.frame, out.proc);
  return out;
}

/**
 * A submission's frames booked in the submission's own transaction. A submission on a farm with
 * idle cores used to be stored, then booked by the next pass, and its frames launched once that
 * booking was committed too: on PostgreSQL a thousand bookings are one statement of ~70 ms, and
 * every frame of the submission waited for it. Here the pass runs before the submission is
 * stored (the jobs in `farm.storing`, so nothing else books them or takes their hosts' cores);
 * its frames are written booked (SETUP on their hosts, with their procs and attempts) in the
 * submission's transaction, and launched the moment it is committed — the moment they exist.
 * Only the pass's own bookings of these jobs go this way; the pass books others as usual.
 */
export interface BookedWithSubmission {
  /** The procs and attempts, after the submission's own statements (they refer to its frames). */
  statements: Statement[];
  /** The submission is stored (its jobs in the farm and the index): its frames are ready from `at`, and launched. */
  stored(at: number): void;
  /** The submission was refused: the procs leave their hosts, and the index is rebuilt from memory. */
  refused(): void;
}

export function bookWithSubmission(d: Dispatcher, jobs: readonly MemJob[]): BookedWithSubmission {
  const { farm } = d;
  for (const job of jobs) farm.storing.set(job.id, job);
  const booked: Outgoing[] = [];
  for (const b of d.scheduling.bookStoring(jobs)) {
    const job = farm.storing.get(b.jobId);
    const out = reserve(
      d,
      b,
      job?.frames.get(b.frameId),
      job,
      job?.layers.find((l) => l.id === b.layerId),
    );
    if (out) booked.push(out);
  }
  const { dialect } = d.store;
  // Plain inserts: the submission's frames are new, so a conflict is a bug to surface, not a row to replace.
  const statements = procAndAttemptStatements(
    dialect,
    booked.map((o) => o.proc),
    booked.map((o) => o.proc.history),
    { replace: false },
  );
  const over = () => {
    for (const job of jobs) farm.storing.delete(job.id);
  };
  return {
    statements,
    stored(at) {
      over();
      for (const { proc } of booked) {
        proc.readySince = at;
        proc.bookedAt = at;
        proc.cause = 'ready';
        d.metrics.bookingSeconds.observe({ cause: 'ready' }, 0); // booked by the time they exist
      }
      launch(d, booked);
    },
    refused() {
      over();
      for (const { host, frame } of booked) host.procs.delete(frame.id);
      if (booked.length > 0) d.scheduling.invalidate();
    },
  };
}

/** A booking applied to memory: the proc on its host, the frame in SETUP; undefined when memory does not allow it. */
function reserve(
  d: Dispatcher,
  b: Booking,
  frame: MemFrame | undefined,
  job: MemJob | undefined,
  layer: MemLayer | undefined,
): Outgoing | undefined {
  const { farm } = d;
  const host = farm.hosts.get(b.hostId);
  const show = job && farm.shows.get(job.showId);
  if (!frame || !host || !job || !layer || !show || frame.state !== 'WAITING' || host.procs.has(frame.id)) {
    // The scheduler's index booked something memory does not allow: it has drifted.
    const why = { state: frame?.state, jobState: job?.state, hostKnown: !!host, alreadyOnHost: !!host?.procs.has(b.frameId) };
    d.log.warn({ frameId: b.frameId, host: b.hostId, ...why }, 'booking refused: the scheduler index is out of step; rebuilding it');
    d.scheduling.invalidate();
    return undefined;
  }
  const now = Date.now();
  const attempt = frame.attempt + 1;
  const logPath = `${show.name}/${job.name}.${job.id.slice(0, 8)}/${layer.name}/${frame.number}.${attempt}.log`;
  const proc: MemProc = {
    // Time-ordered (UUIDv7): procs booked together sit together in the primary key's index, so a
    // commit of a thousand bookings (and later of their deletes) touches a few index pages, not a
    // thousand scattered ones.
    id: timeOrderedUuid(),
    frameId: frame.id,
    attempt,
    hostId: host.id,
    jobId: job.id,
    cores: b.cores,
    memoryMb: b.memoryMb,
    gpus: [...b.gpus],
    gpuMemoryMb: b.gpuMemoryMb,
    bookedAt: now,
    startedAt: null,
    launchAckedAt: null,
    seenInReport: false,
    missingSince: null,
    readySince: Math.max(frame.readyAt, host.freedAt),
    cause: frame.readyAt >= host.freedAt ? 'ready' : 'freed',
    history: {
      frameId: frame.id,
      attempt,
      hostId: host.id,
      hostName: host.name,
      cores: b.cores,
      startedAt: now,
      stoppedAt: null,
      exitStatus: null,
      exitSignal: null,
      reason: null,
      maxRssMb: 0,
      cpuSeconds: 0,
      logPath,
    },
  };
  host.procs.set(frame.id, proc);
  job.coresInUse += b.cores;
  frame.attempt = attempt;
  frame.hostId = host.id;
  frame.exitStatus = null;
  frame.exitSignal = null;
  setFrameState(farm, frame, 'SETUP');
  const launch: FrameLaunch = {
    frameId: frame.id,
    attempt,
    jobId: job.id,
    jobName: job.name,
    layerName: layer.name,
    show: show.name,
    shot: job.shot,
    user: job.user,
    command: layer.command,
    frames: frame.frames,
    cores: b.cores,
    memoryMb: b.memoryMb,
    gpus: [...b.gpus],
    env: layer.env,
    timeoutMinutes: layer.timeoutMinutes ?? undefined,
    logPath,
  };
  return { host, job, frame, proc, launch };
}

interface Outgoing {
  host: MemHost;
  job: MemJob;
  frame: MemFrame;
  proc: MemProc;
  launch: FrameLaunch;
}

/** The frame still waits for this launch to start (not handed back, killed or booked again since). */
function stillSettingUp({ host, frame, launch }: Outgoing): boolean {
  return frame.hostId === host.id && frame.attempt === launch.attempt && frame.state === 'SETUP';
}

function sendLaunches(d: Dispatcher, host: MemHost, list: readonly Outgoing[]): void {
  const current = list.filter(stillSettingUp);
  if (current.length === 0) return; // already over
  const socket = host.socketId ? d.rqd?.sockets.get(host.socketId) : undefined;
  if (!socket) {
    for (const { frame } of current) handBack(d, frame, 'LAUNCH_FAILED', `host ${host.name} is not connected`);
    return;
  }
  const now = Date.now();
  d.metrics.launches.inc(current.length);
  for (const { proc } of current) d.metrics.dispatchSeconds.observe({ cause: proc.cause }, (now - proc.readySince) / 1000);
  socket.timeout(LAUNCH_ACK_TIMEOUT_MS).emit(
    DISPATCHER_EVENTS.launch,
    current.map((o) => o.launch),
    (err: unknown, answer: LaunchAnswer | undefined) => {
      if (err) {
        // A busy host may answer late but still run them: its reports and the setup timeout decide.
        if (current.some(stillSettingUp))
          d.log.warn({ frames: current.length, host: host.name }, 'the host has not answered the launch yet');
        return;
      }
      const acked = Date.now();
      current.forEach((o, i) => {
        if (!stillSettingUp(o)) return;
        // A refused message refuses each of its frames; otherwise each frame has its own answer.
        const result = answer?.ok ? answer.results[i] : answer;
        if (result?.ok) o.proc.launchAckedAt = acked;
        else handBack(d, o.frame, 'LAUNCH_FAILED', `the host refused the launch: ${result?.error ?? 'no answer for this frame'}`);
      });
    },
  );
}

/** Frees a proc: the host, the job and the scheduler's index get its share back. */
export function freeProc(d: Dispatcher, host: MemHost, job: MemJob | undefined, proc: MemProc, layerId: string, now: number): void {
  host.procs.delete(proc.frameId);
  host.freedAt = now;
  if (job) job.coresInUse = Math.max(0, job.coresInUse - proc.cores);
  d.scheduling.released(proc, layerId);
  d.store.procFreed(proc);
}

/** The frame goes back to WAITING without counting a failure; the host is told to kill that attempt. */
export function handBack(d: Dispatcher, frame: MemFrame, reason: HandBackReason, why: string): void {
  const host = frame.hostId ? d.farm.hosts.get(frame.hostId) : undefined;
  const proc = host?.procs.get(frame.id);
  if ((frame.state !== 'SETUP' && frame.state !== 'RUNNING') || !host || !proc) return;
  d.log.warn({ frameId: frame.id, attempt: frame.attempt, host: host.name, reason, why }, 'frame handed back');
  const now = Date.now();
  const job = d.farm.jobs.get(frame.jobId);
  d.killAttempt(host, frame.id, frame.attempt, why);
  proc.history.stoppedAt = now;
  proc.history.reason = reason;
  freeProc(d, host, job, proc, frame.layerId, now);
  frame.hostId = null;
  frame.killIntent = null;
  setFrameState(d.farm, frame, 'WAITING');
  d.store.frame(frame);
  if (job) d.refreshJobState(job);
  if (reason === 'LAUNCH_FAILED') coolDown(d, host);
  d.scheduling.framesReady([frame]);
  d.store.commit().then(
    () => {
      d.publishFrame(frame);
      if (job) d.publishJob(job);
      d.publishHost(host);
    },
    () => undefined,
  );
}

/** A host that failed a launch takes nothing for a second, so a broken host does not spin. */
function coolDown(d: Dispatcher, host: MemHost): void {
  host.coolingUntil = Date.now() + 1000;
  d.scheduling.hostChanged(host);
  setTimeout(() => d.scheduling.hostChanged(host), 1000).unref();
}
