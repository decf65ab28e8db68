/**
 * The host's socket.io connection to the dispatcher on `/rqd`: presents the host token, registers
 * (again after every reconnect, with the frames still running), sends reports on a timer, hands
 * launches and kills to the FrameHost, and lets the Outbox deliver frame events while registered.
 * Frames never depend on this connection: they keep running while it is down.
 */
import type { Ack, HostRegister, HostReport, LaunchAnswer } from '@farmhand/contracts';
import { DISPATCHER_EVENTS, RQD_EVENTS, RQD_NAMESPACE } from '@farmhand/contracts';
import { io, type Socket } from 'socket.io-client';
import { corkPerTick } from './corkPerTick';
import type { FrameHost } from './frameHost';
import type { Outbox } from './outbox';

export interface LinkLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface DispatcherLinkOptions {
  dispatcherUrl: string;
  token: string;
  hostName: string;
  host: FrameHost;
  outbox: Outbox;
  registration: () => HostRegister;
  report: () => HostReport;
  reportIntervalMs: number;
  /** Between reports while no frame runs. */
  idleReportIntervalMs: number;
  ackTimeoutMs: number;
  logger: LinkLogger;
  onRegistered?: (hostId: string) => void;
}

export class DispatcherLink {
  readonly socket: Socket;
  hostId: string | undefined;
  private registered = false;
  private reportTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: DispatcherLinkOptions) {
    const url = `${options.dispatcherUrl.replace(/\/+$/, '')}${RQD_NAMESPACE}`;
    this.socket = io(url, {
      auth: { token: options.token, hostName: options.hostName },
      transports: ['websocket'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 5000,
    });
    corkPerTick(this.socket);
    this.socket.on('connect', () => void this.register());
    this.socket.on('disconnect', (reason) => this.onDisconnect(reason));
    this.socket.on('connect_error', (error) => this.onConnectError(error));
    this.socket.on(DISPATCHER_EVENTS.launch, (message: unknown, ack?: (answer: LaunchAnswer) => void) => {
      const answer: LaunchAnswer = Array.isArray(message)
        ? { ok: true, results: message.map((launch) => options.host.launch(launch)) }
        : { ok: false, error: `${DISPATCHER_EVENTS.launch} refused: the message must be an array of frame launches` };
      if (!answer.ok) options.logger.warn(answer.error);
      if (typeof ack === 'function') ack(answer);
    });
    this.socket.on(DISPATCHER_EVENTS.kill, (message: unknown) => options.host.kill(message));
  }

  get isRegistered(): boolean {
    return this.registered;
  }

  /** Sends a report now (e.g. when the host's NIMBY lock changes), when registered. */
  reportNow(): void {
    if (!this.registered) return;
    this.socket.emit(RQD_EVENTS.report, this.options.report());
    this.scheduleReport();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reportTimer);
    clearTimeout(this.retryTimer);
    this.options.outbox.detach();
    this.socket.disconnect();
  }

  private async register(): Promise<void> {
    const { logger } = this.options;
    let answer: Ack<{ hostId: string }>;
    try {
      answer = await this.socket.timeout(this.options.ackTimeoutMs).emitWithAck(RQD_EVENTS.register, this.options.registration());
    } catch {
      logger.warn(`the dispatcher did not answer host:register within ${this.options.ackTimeoutMs} ms; reconnecting`);
      this.reconnectSoon();
      return;
    }
    if (!answer.ok) {
      logger.warn(`the dispatcher refused to register host ${this.options.hostName}: ${answer.error}; trying again shortly`);
      this.reconnectSoon();
      return;
    }
    this.hostId = answer.hostId;
    this.registered = true;
    logger.info(`registered with the dispatcher as host ${answer.hostId}`);
    this.options.onRegistered?.(answer.hostId);
    this.options.outbox.attach((event, payload) => {
      if (!this.socket.connected) return Promise.reject(new Error('not connected'));
      return this.socket.timeout(this.options.ackTimeoutMs).emitWithAck(event, payload) as Promise<Ack>;
    });
    this.scheduleReport();
  }

  private scheduleReport(): void {
    clearTimeout(this.reportTimer);
    const { host, reportIntervalMs, idleReportIntervalMs } = this.options;
    const delay = host.runningCount > 0 ? reportIntervalMs : idleReportIntervalMs;
    this.reportTimer = setTimeout(() => this.reportNow(), delay);
  }

  private onDisconnect(reason: string): void {
    this.registered = false;
    clearTimeout(this.reportTimer);
    this.options.outbox.detach();
    if (!this.stopped) this.options.logger.warn(`lost the dispatcher (${reason}); frames keep running and their events are spooled`);
    // A disconnect the server asked for is not retried by socket.io itself.
    if (reason === 'io server disconnect') this.reconnectSoon();
  }

  private onConnectError(error: Error): void {
    if (this.stopped) return;
    // A refusal by the dispatcher's middleware (bad token) stops socket.io's own retries.
    if (!this.socket.active) {
      this.options.logger.warn(
        `the dispatcher at ${this.options.dispatcherUrl} refused this host: ${error.message}. Check that --token matches the dispatcher's FARMHAND_HOST_TOKEN; retrying in 5 s`,
      );
      this.reconnectSoon(5000);
    }
  }

  private reconnectSoon(delayMs = 1000): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.stopped) return;
      if (this.socket.connected) this.socket.disconnect();
      this.socket.connect();
    }, delayMs);
  }
}
