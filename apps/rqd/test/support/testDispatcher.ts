/**
 * The dispatcher's side of the /rqd protocol, small enough to read in a test: checks the host
 * token, registers hosts, applies each frame event once by its seq (acking duplicates), and
 * lets a test launch and kill frames and await what comes back. It is the peer rqd talks to,
 * not a stand-in for rqd.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Ack,
  DISPATCHER_EVENTS,
  type FrameExited,
  type FrameLaunch,
  type FrameStarted,
  frameExitedSchema,
  frameStartedSchema,
  type HostRegister,
  type HostReport,
  hostRegisterSchema,
  hostReportSchema,
  type LaunchAnswer,
  type LogChunk,
  logChunkSchema,
  RQD_EVENTS,
  RQD_NAMESPACE,
  rqdAuthSchema,
} from '@farmhand/contracts';
import { Server, type Socket } from 'socket.io';

export interface Applied {
  host: string;
  event: string;
  payload: FrameStarted | FrameExited | LogChunk;
}

export class TestDispatcher {
  readonly applied: Applied[] = [];
  readonly registrations: HostRegister[] = [];
  readonly reports: Array<{ host: string; report: HostReport }> = [];
  readonly refusedConnections: string[] = [];
  duplicates = 0;
  /** While true, frame events are applied but never acknowledged, as when acks are lost on the way back. */
  withholdAcks = false;
  /** Called with every frame event applied (for benchmarks that count without scanning). */
  onApplied: ((applied: Applied) => void) | undefined;
  private readonly lastSeq = new Map<string, number>();
  private readonly sockets = new Map<string, Socket>();
  private readonly listeners = new Set<() => void>();
  private http!: HttpServer;
  private io!: Server;
  port = 0;

  private constructor(readonly token: string) {}

  static async start(token: string): Promise<TestDispatcher> {
    const dispatcher = new TestDispatcher(token);
    await dispatcher.listen();
    return dispatcher;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens (again, on the same port after `stop`), like a restarted dispatcher. */
  async listen(): Promise<void> {
    this.http = createServer();
    this.io = new Server(this.http, { transports: ['websocket'] });
    const rqd = this.io.of(RQD_NAMESPACE);
    rqd.use((socket, next) => {
      const auth = rqdAuthSchema.safeParse(socket.handshake.auth);
      if (!auth.success || auth.data.token !== this.token) {
        this.refusedConnections.push(String(socket.handshake.auth?.hostName));
        this.changed();
        return next(new Error('unauthorized: the host token does not match'));
      }
      next();
    });
    rqd.on('connection', (socket) => this.onConnection(socket));
    await new Promise<void>((resolve) => this.http.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  /** Stops listening and drops every host, like a dispatcher that died or a cut network. */
  async stop(): Promise<void> {
    this.sockets.clear();
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }

  /** Launches one frame (a batch of one, as the dispatcher sends them) and returns its ack. */
  async launch(host: string, message: FrameLaunch | Record<string, unknown>): Promise<Ack> {
    const answer = await this.launchBatch(host, [message]);
    if (!answer.ok) return answer;
    return answer.results[0] as Ack;
  }

  /** Sends one `frames:launch` message as is (an array of launches, or anything, to test refusals). */
  async launchBatch(host: string, message: unknown): Promise<LaunchAnswer> {
    const socket = await this.hostSocket(host);
    return socket.timeout(10_000).emitWithAck(DISPATCHER_EVENTS.launch, message);
  }

  async kill(host: string, frameId: number, attempt: number, reason = 'killed by a test'): Promise<void> {
    (await this.hostSocket(host)).emit(DISPATCHER_EVENTS.kill, { frameId, attempt, reason });
  }

  hostSocket(host: string): Promise<Socket> {
    return this.until(() => this.sockets.get(host));
  }

  exitOf(frameId: number, attempt = 1): Promise<FrameExited> {
    return this.until(() => this.find<FrameExited>(RQD_EVENTS.exited, frameId, attempt)[0]);
  }

  startedOf(frameId: number, attempt = 1): Promise<FrameStarted> {
    return this.until(() => this.find<FrameStarted>(RQD_EVENTS.started, frameId, attempt)[0]);
  }

  /** The log as streamed: chunks in offset order, checked to leave no gap or overlap. */
  logOf(frameId: number, attempt = 1): string {
    let text = '';
    let offset = 0;
    const chunks = this.find<LogChunk>(RQD_EVENTS.log, frameId, attempt).sort((a, b) => a.offset - b.offset);
    for (const chunk of chunks) {
      if (chunk.offset !== offset) throw new Error(`log chunk of frame ${frameId} at offset ${chunk.offset}, expected ${offset}`);
      text += chunk.data;
      offset += Buffer.byteLength(chunk.data);
    }
    return text;
  }

  find<T extends Applied['payload']>(event: string, frameId: number, attempt: number): T[] {
    return this.applied
      .filter((a) => a.event === event && a.payload.frameId === frameId && a.payload.attempt === attempt)
      .map((a) => a.payload as T);
  }

  /** Resolves with the first truthy value of `probe`, checked after every message. */
  until<T>(probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
    const now = probe();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`TestDispatcher: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        const value = probe();
        if (!value) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(value);
      };
      this.listeners.add(check);
    });
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private onConnection(socket: Socket): void {
    const host = String(socket.handshake.auth.hostName);
    socket.on(RQD_EVENTS.register, (message: unknown, ack: (a: Ack<{ hostId: string }>) => void) => {
      const parsed = hostRegisterSchema.safeParse(message);
      if (!parsed.success) return ack({ ok: false, error: parsed.error.message });
      this.registrations.push(parsed.data);
      this.sockets.set(host, socket);
      ack({ ok: true, hostId: `host-${host}` });
      this.changed();
    });
    socket.on(RQD_EVENTS.report, (message: unknown) => {
      const parsed = hostReportSchema.safeParse(message);
      if (parsed.success) this.reports.push({ host, report: parsed.data });
      this.changed();
    });
    const schemas = { [RQD_EVENTS.started]: frameStartedSchema, [RQD_EVENTS.exited]: frameExitedSchema, [RQD_EVENTS.log]: logChunkSchema };
    for (const [event, schema] of Object.entries(schemas)) {
      socket.on(event, (message: unknown, ack: (a: Ack) => void) => {
        const parsed = schema.safeParse(message);
        if (!parsed.success) return ack({ ok: false, error: parsed.error.message });
        const seq = parsed.data.seq ?? 0;
        if (seq <= (this.lastSeq.get(host) ?? -1)) this.duplicates++;
        else {
          this.lastSeq.set(host, seq);
          const applied = { host, event, payload: parsed.data };
          this.applied.push(applied);
          this.onApplied?.(applied);
        }
        if (!this.withholdAcks) ack({ ok: true });
        this.changed();
      });
    }
    socket.on('disconnect', () => {
      if (this.sockets.get(host) === socket) this.sockets.delete(host);
    });
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
