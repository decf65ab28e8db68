/**
 * startRqd: one real host daemon — detects the machine, runs frames as process trees, and keeps
 * the dispatcher informed through the outbox and the socket link. Refuses to start without a
 * host token: rqd runs whatever commands it is sent, so the connection must be authenticated.
 */
import path from 'node:path';
import { AppError, type HostRegister, type HostReport } from '@farmhand/contracts';
import pino, { type Logger } from 'pino';
import type { ActivitySource } from './desktopActivity';
import { DispatcherLink } from './dispatcherLink';
import { FrameHost } from './frameHost';
import type { StartFrame } from './frameRun';
import { detectHostResources, type HostLoad, type HostResources, sampleHostLoad } from './hostResources';
import { NimbyWatch } from './nimby';
import type { RqdOptions } from './options';
import { Outbox } from './outbox';
import { processRunner } from './processRunner';
import { ProcessSampler } from './processSampler';
import { endLostFrames, RunningLedger } from './runningLedger';

export interface Rqd {
  readonly hostName: string;
  readonly logRoot: string;
  readonly resources: HostResources;
  readonly host: FrameHost;
  readonly link: DispatcherLink;
  readonly outbox: Outbox;
  readonly nimby: NimbyWatch | undefined;
  /** Stops the daemon; running frames are killed first unless `keepFrames`. */
  stop(options?: { keepFrames?: boolean }): Promise<void>;
}

export interface RqdParts {
  logger?: Logger;
  /** How frames run; real process trees by default, simulated ones in simulation mode. */
  startFrame?: StartFrame;
  /** The host's resources; detected from the machine (with the options' overrides) by default. */
  resources?: HostResources;
  /** What NIMBY watches; the real desktop's input and CPU by default. */
  activity?: ActivitySource;
  /** What the host reports as load and free memory; the real machine's by default. */
  sampleLoad?: () => HostLoad;
}

export function startRqd(options: RqdOptions, parts: RqdParts = {}): Rqd {
  if (!options.token) {
    throw new AppError(
      'UNAUTHORIZED',
      'rqd needs the host token to connect: pass --token or set FARMHAND_HOST_TOKEN to the value the dispatcher uses (printed at its start, or in its data dir)',
    );
  }
  const logger = parts.logger ?? pino({ name: 'rqd', level: options.logLevel }, pino.destination(2));
  const log = logger.child({ host: options.hostName });
  const resources: HostResources = parts.resources ?? { ...detectHostResources(), ...options.resources };
  const sampleLoad = parts.sampleLoad ?? sampleHostLoad;
  const spoolDir = path.join(options.spoolDir, options.hostName);
  const outbox = new Outbox({
    dir: spoolDir,
    onRefused: (seq, event, error) => log.warn(`the dispatcher refused ${event} #${seq}: ${error}`),
  });
  // Only real frames have processes to lose track of.
  const ledger = parts.startFrame ? undefined : new RunningLedger(spoolDir);
  if (ledger) {
    const lost = endLostFrames(ledger.previous(), outbox);
    if (lost > 0) log.warn(`stopped ${lost} frame(s) a previous rqd left running; their ends are reported as KILLED`);
    ledger.save();
  }
  const startFrame =
    parts.startFrame ??
    processRunner({
      sampler: new ProcessSampler(options.sampleIntervalMs),
      memoryKillFactor: options.memoryKillFactor,
      killGraceMs: options.killGraceS * 1000,
      singleUser: options.singleUser,
    });
  const host = new FrameHost({
    hostName: options.hostName,
    logRoot: options.logRoot,
    resources,
    startFrame,
    outbox,
    ledger,
    logBatchMs: options.logBatchMs,
    logCapBytes: options.logCapBytes,
    warn: (message) => log.warn(message),
    onExited: (exit) => log.info(`frame ${exit.frameId}.${exit.attempt} ended: ${exit.reason} ${exit.exitSignal ?? exit.exitStatus}`),
  });
  let nimby: NimbyWatch | undefined;
  const bootedAt = Date.now();
  const registration = (): HostRegister => {
    const load = sampleLoad();
    return {
      name: options.hostName,
      allocation: options.allocation,
      ...resources,
      tags: options.tags,
      bootedAt,
      freeTempMb: load.freeTempMb,
      load: load.load,
      running: host.runningFrames(),
    };
  };
  const report = (): HostReport => ({ ...sampleLoad(), running: host.runningFrames(), nimbyLocked: nimby?.locked });
  const link = new DispatcherLink({
    dispatcherUrl: options.dispatcherUrl,
    token: options.token,
    hostName: options.hostName,
    host,
    outbox,
    registration,
    report,
    reportIntervalMs: options.reportIntervalS * 1000,
    idleReportIntervalMs: options.idleReportIntervalS * 1000,
    ackTimeoutMs: options.ackTimeoutMs,
    logger: log,
  });
  if (options.nimby) nimby = new NimbyWatch(options.nimby, host, () => link.reportNow(), log, parts.activity);
  log.info(`rqd started: ${resources.cores} cores, ${resources.memoryMb} MB, ${resources.gpus} GPUs; dispatcher ${options.dispatcherUrl}`);

  return {
    hostName: options.hostName,
    logRoot: options.logRoot,
    resources,
    host,
    link,
    outbox,
    nimby,
    async stop({ keepFrames = false } = {}) {
      nimby?.stop();
      if (!keepFrames) {
        await host.killAll('KILLED', 'rqd is shutting down');
        // Give the exits a moment to reach the dispatcher; they stay spooled otherwise.
        await Promise.race([outbox.drained(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      }
      link.stop();
    },
  };
}
