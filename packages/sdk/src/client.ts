/**
 * A typed client of Farmhand's REST API (/api/v1) for pipeline code and the CLI. Types come
 * from the same contracts the server validates with. Every failure is a FarmhandApiError
 * carrying the server's stable code, message and field paths (`jobs[0].layers[1].range`).
 */
import type {
  AllocationRowDto,
  AttemptRowDto,
  CommandAnswerDto,
  CoreHoursDto,
  FailedFrameDto,
  FrameRowDto,
  HostRowDto,
  HostUtilizationDto,
  JobDetailDto,
  JobRowDto,
  JobSpecInput,
  LimitRowDto,
  NotificationRow,
  Page,
  ShowRowDto,
  SubmissionAnswerDto,
  SubmissionInput,
  SubmitAnswerDto,
  WebhookCreate,
  WebhookDeliveryRow,
  WebhookRow,
} from '@farmhand/contracts';

export interface FarmhandClientOptions {
  /** Where the web app answers, e.g. `http://farm:3000`. */
  baseUrl: string;
  /** Who asks, on a farm in local mode (no sign-in); with sign-in the token's user is who asks. */
  user?: string;
  /** An API token (make one on the web's /account page): sent as `Authorization: Bearer`. */
  token?: string;
  fetch?: typeof fetch;
}

export class FarmhandApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'FarmhandApiError';
  }
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface JobsFilter {
  show?: string;
  shot?: string;
  user?: string;
  state?: string | readonly string[];
  name?: string;
  limit?: number;
  cursor?: string;
}
export interface FramesFilter {
  jobId?: string;
  layer?: string;
  state?: string | readonly string[];
  host?: string;
  limit?: number;
  cursor?: string;
}
export interface HostsFilter {
  state?: string | readonly string[];
  lock?: string | readonly string[];
  allocation?: string;
  tag?: string;
  limit?: number;
  cursor?: string;
}
export interface LogChunk {
  text: string;
  /** The byte after the last one received: ask from here next. */
  offset: number;
  attempt: number;
}

export class FarmhandClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  constructor(private readonly options: FarmhandClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
  }

  private url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      params.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    const qs = params.toString();
    return `${this.base}${path}${qs ? `?${qs}` : ''}`;
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    init: { query?: Query; json?: unknown; text?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      ...(this.options.user ? { 'x-farmhand-user': this.options.user } : {}),
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      ...init.headers,
    };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.text !== undefined) {
      headers['content-type'] = 'text/plain';
      body = init.text;
    }
    let res: Response;
    try {
      res = await this.doFetch(this.url(path, init.query), { method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (e) {
      const c = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
      const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (e as Error).message;
      throw new FarmhandApiError(0, 'UNAVAILABLE', `Farmhand at ${this.base} cannot be reached (${cause})`);
    }
    if (!res.ok && res.status !== 206) {
      const payload = (await res.json().catch(() => null)) as {
        error?: { code?: string; message?: string; fields?: { path: string; message: string }[] };
      } | null;
      const e = payload?.error;
      let message = e?.message ?? `HTTP ${res.status} from ${method} ${path}`;
      // Say what to do, not just what happened.
      if (res.status === 401)
        message = `${message}. ${this.options.token ? 'Make a new API token' : 'This farm needs an API token: make one'} on ${this.base}/account and pass it with --token or FARMHAND_TOKEN`;
      else if (res.status === 403) message = `Not allowed: ${message}`;
      throw new FarmhandApiError(res.status, e?.code ?? (res.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL'), message, e?.fields ?? []);
    }
    return res;
  }

  private async json<T>(method: 'GET' | 'POST', path: string, init: { query?: Query; json?: unknown; text?: string } = {}): Promise<T> {
    return (await (await this.request(method, path, init)).json()) as T;
  }

  // ── submitting ──────────────────────────────────────────────
  submitJob(spec: JobSpecInput): Promise<SubmitAnswerDto> {
    return this.json('POST', '/api/v1/jobs', { json: spec });
  }
  submit(submission: SubmissionInput): Promise<SubmissionAnswerDto> {
    return this.json('POST', '/api/v1/submissions', { json: submission });
  }
  /** Sends a file's text for the server to import (OpenJD, DAGMan without splices, OpenCue XML, Farmhand spec). */
  importFile(text: string, options: { fileName?: string; format?: string; show?: string; user?: string; dryRun?: boolean } = {}) {
    const { dryRun, ...rest } = options;
    return this.json<SubmissionAnswerDto & { warnings: string[] }>('POST', '/api/v1/import', {
      text,
      query: { ...rest, dryRun: dryRun ? '1' : undefined },
    });
  }

  // ── reading ─────────────────────────────────────────────────
  jobs(filter: JobsFilter = {}): Promise<Page<JobRowDto>> {
    return this.json('GET', '/api/v1/jobs', { query: { ...filter } });
  }
  job(id: string): Promise<JobDetailDto> {
    return this.json('GET', `/api/v1/jobs/${encodeURIComponent(id)}`);
  }
  frames(filter: FramesFilter = {}): Promise<Page<FrameRowDto>> {
    return this.json('GET', '/api/v1/frames', { query: { ...filter } });
  }
  attempts(frameId: number): Promise<AttemptRowDto[]> {
    return this.json('GET', `/api/v1/frames/${frameId}/attempts`);
  }
  hosts(filter: HostsFilter = {}): Promise<Page<HostRowDto>> {
    return this.json('GET', '/api/v1/hosts', { query: { ...filter } });
  }
  shows(page: { limit?: number; cursor?: string } = {}): Promise<Page<ShowRowDto>> {
    return this.json('GET', '/api/v1/shows', { query: page });
  }
  allocations(page: { limit?: number; cursor?: string } = {}): Promise<Page<AllocationRowDto>> {
    return this.json('GET', '/api/v1/allocations', { query: page });
  }
  limits(page: { limit?: number; cursor?: string } = {}): Promise<Page<LimitRowDto>> {
    return this.json('GET', '/api/v1/limits', { query: page });
  }
  /** Every page of a list, one after another. */
  async *all<T, F extends { limit?: number; cursor?: string }>(list: (filter: F) => Promise<Page<T>>, filter: F): AsyncGenerator<T> {
    let cursor: string | undefined = filter.cursor;
    for (;;) {
      const page = await list.call(this, { ...filter, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }

  // ── logs ────────────────────────────────────────────────────
  /** The log of a frame's attempt (latest by default) from byte `offset`. */
  async log(frameId: number, options: { attempt?: number; offset?: number } = {}): Promise<LogChunk> {
    const res = await this.request('GET', `/api/v1/frames/${frameId}/log`, {
      query: { attempt: options.attempt, offset: options.offset ?? 0 },
    });
    // Offsets count bytes, not characters: a chunk may end inside a multi-byte character.
    const bytes = new Uint8Array(await res.arrayBuffer());
    const attempt = Number(res.headers.get('x-log-attempt') ?? options.attempt ?? 0);
    const start = Number(res.headers.get('x-log-offset') ?? options.offset ?? 0);
    return { text: new TextDecoder().decode(bytes), offset: start + bytes.byteLength, attempt };
  }

  // ── acting ──────────────────────────────────────────────────
  retry(jobId: string, frameIds?: number[]): Promise<CommandAnswerDto> {
    return this.json('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/retry`, { json: frameIds ? { frameIds } : {} });
  }
  eat(jobId: string, frameIds?: number[]): Promise<CommandAnswerDto> {
    return this.json('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/eat`, { json: frameIds ? { frameIds } : {} });
  }
  killFrames(jobId: string, frameIds?: number[]): Promise<CommandAnswerDto> {
    return this.json('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/kill-frames`, { json: frameIds ? { frameIds } : {} });
  }
  kill(jobId: string): Promise<CommandAnswerDto> {
    return this.json('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/kill`, { json: {} });
  }
  pause(jobId: string): Promise<CommandAnswerDto> {
    return this.json('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/pause`, { json: {} });
  }
  resume(jobId: string): Promise<CommandAnswerDto> {
    return this.json('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/resume`, { json: {} });
  }
  setPriority(jobId: string, priority: number): Promise<CommandAnswerDto> {
    return this.json('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/priority`, { json: { priority } });
  }
  lockHost(host: string): Promise<CommandAnswerDto> {
    return this.json('POST', `/api/v1/hosts/${encodeURIComponent(host)}/lock`, { json: {} });
  }
  unlockHost(host: string): Promise<CommandAnswerDto> {
    return this.json('POST', `/api/v1/hosts/${encodeURIComponent(host)}/unlock`, { json: {} });
  }

  // ── production queries ──────────────────────────────────────
  failedFrames(query: { hours?: number; show?: string; limit?: number } = {}): Promise<FailedFrameDto[]> {
    return this.json('GET', '/api/v1/reports/failed-frames', { query });
  }
  hostUtilization(): Promise<HostUtilizationDto> {
    return this.json('GET', '/api/v1/reports/host-utilization');
  }
  coreHours(query: { show?: string; from?: string; to?: string } = {}): Promise<CoreHoursDto[]> {
    return this.json('GET', '/api/v1/reports/core-hours', { query });
  }

  // ── webhooks and notifications ──────────────────────────────
  /** Your webhooks (the secret is never listed: it is answered once, by `addWebhook`). */
  webhooks(): Promise<WebhookRow[]> {
    return this.json('GET', '/api/v1/webhooks');
  }
  /** Adds a webhook for your jobs, or with `show` for every job of the show; answers its signing secret. */
  addWebhook(input: WebhookCreate): Promise<WebhookRow & { secret: string }> {
    return this.json('POST', '/api/v1/webhooks', { json: input });
  }
  deleteWebhook(id: string): Promise<{ deleted: string }> {
    return this.json('POST', `/api/v1/webhooks/${encodeURIComponent(id)}/delete`, { json: {} });
  }
  /** Sends a signed `webhook.test` event now; its outcome shows in `webhookDeliveries`. */
  testWebhook(id: string): Promise<{ deliveryId: number; eventId: number }> {
    return this.json('POST', `/api/v1/webhooks/${encodeURIComponent(id)}/test`, { json: {} });
  }
  webhookDeliveries(id: string, limit = 50): Promise<WebhookDeliveryRow[]> {
    return this.json('GET', `/api/v1/webhooks/${encodeURIComponent(id)}/deliveries`, { query: { limit } });
  }
  notifications(query: { unread?: boolean; limit?: number } = {}): Promise<{ user: string; unread: number; items: NotificationRow[] }> {
    return this.json('GET', '/api/v1/notifications', { query: { unread: query.unread ? '1' : undefined, limit: query.limit } });
  }
  /** Marks these notifications read, or all of yours. */
  markNotificationsRead(ids?: number[]): Promise<{ marked: number; unread: number }> {
    return this.json('POST', '/api/v1/notifications/read', { json: ids ? { ids } : {} });
  }
}
