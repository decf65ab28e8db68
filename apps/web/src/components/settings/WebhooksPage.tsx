'use client';
/**
 * `/settings`: the user's webhooks. Add one (a URL, the events, for my jobs or a whole show),
 * see the signing secret once, send a test, read each webhook's delivery log (status, tries,
 * the last HTTP status, a line per failed try), delete. Errors show by their field.
 */
import { FARM_EVENT_KINDS, type FarmEventKind, type FieldError, WEBHOOK_HEADERS } from '@farmhand/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../../client/trpc';

const EVENT_LABELS: Record<FarmEventKind, string> = {
  'job.finished': 'Job finished (succeeded, or with dead frames)',
  'job.dead_frames': 'Job has dead frames (the first one)',
  'frame.failed': 'A frame failed N times',
  'host.down': 'Host down',
};

export function WebhooksPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const shows = useQuery(trpc.shows.list.queryOptions());
  const hooks = useQuery(trpc.webhooks.list.queryOptions());
  const [url, setUrl] = useState('');
  const [show, setShow] = useState('');
  const [events, setEvents] = useState<FarmEventKind[]>(['job.finished', 'job.dead_frames']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries(trpc.webhooks.pathFilter());

  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: (hook) => {
        setCreated({ url: hook.url, secret: hook.secret });
        setUrl('');
        setErrors({});
        setSelected(hook.id);
        refresh();
      },
      onError: (error) => {
        const fields = (error.data as { fields?: FieldError[] } | undefined)?.fields ?? [];
        setErrors(
          fields.length ? Object.fromEntries(fields.map((f) => [f.path.split(/[.[]/)[0] ?? 'form', f.message])) : { form: error.message },
        );
      },
    }),
  );
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(
    trpc.webhooks.test.mutationOptions({
      onSuccess: (_, input) => {
        setSelected(input.id);
        refresh();
      },
    }),
  );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    create.mutate({ url, events, ...(show ? { show } : {}) });
  };

  return (
    <div style={{ maxWidth: 1000, overflow: 'auto' }}>
      <div className="toolbar" style={{ marginBottom: 10 }}>
        <h1>Webhooks</h1>
        <span className="muted">Farm events POSTed as JSON to your URL, signed, retried with backoff when it fails.</span>
        <span className="spacer" />
        <Link href="/alerts" data-testid="alerts-link">
          Log alerts
        </Link>
      </div>
      <form className="panel" onSubmit={onSubmit} noValidate aria-label="Add a webhook" style={{ padding: 14, display: 'grid', gap: 10 }}>
        <label style={{ display: 'grid', gap: 3 }}>
          <strong>URL</strong>
          <input
            data-testid="webhook-url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://hooks.example.com/farmhand"
            aria-invalid={errors.url ? true : undefined}
          />
          {errors.url && (
            <span className="field-error" role="alert" data-testid="error-url">
              {errors.url}
            </span>
          )}
        </label>
        <label style={{ display: 'grid', gap: 3 }}>
          <strong>For</strong>
          <select data-testid="webhook-show" value={show} onChange={(e) => setShow(e.target.value)}>
            <option value="">my jobs</option>
            {shows.data?.map((s) => (
              <option key={s.id} value={s.name}>
                every job of show {s.name}
              </option>
            ))}
          </select>
          {errors.show && (
            <span className="field-error" role="alert">
              {errors.show}
            </span>
          )}
        </label>
        <fieldset style={{ border: 'none', padding: 0, display: 'flex', gap: 14, flexWrap: 'wrap' }}>
          <legend style={{ fontWeight: 600, marginBottom: 4 }}>Events</legend>
          {FARM_EVENT_KINDS.map((k) => (
            <label key={k}>
              <input
                type="checkbox"
                data-testid={`webhook-event-${k}`}
                checked={events.includes(k)}
                onChange={(e) => setEvents((old) => (e.target.checked ? [...old, k] : old.filter((x) => x !== k)))}
              />{' '}
              {EVENT_LABELS[k]}
            </label>
          ))}
          {errors.events && (
            <span className="field-error" role="alert" style={{ width: '100%' }}>
              {errors.events}
            </span>
          )}
        </fieldset>
        {errors.form && (
          <span className="field-error" role="alert">
            {errors.form}
          </span>
        )}
        <div className="toolbar">
          <button type="submit" className="primary" data-testid="webhook-add" disabled={create.isPending}>
            Add webhook
          </button>
          <span className="muted" style={{ fontSize: 12 }}>
            Each request carries <code>{WEBHOOK_HEADERS.signature}: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>: HMAC-SHA256 of{' '}
            <code>&lt;t&gt;.&lt;body&gt;</code> with the secret. Refuse stale timestamps (over 5 minutes) and drop repeated{' '}
            <code>eventId</code>s.
          </span>
        </div>
      </form>
      {created && (
        <div
          className="panel"
          role="status"
          data-testid="webhook-secret"
          style={{ padding: 12, marginTop: 10, borderColor: 'var(--warn)' }}
        >
          Secret for {created.url} (shown once — keep it with the receiver): <code className="mono">{created.secret}</code>
        </div>
      )}
      <table className="dense" style={{ marginTop: 14, width: '100%' }} data-testid="webhook-list">
        <thead>
          <tr>
            <th>URL</th>
            <th>For</th>
            <th>Events</th>
            <th>Added</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {hooks.data?.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No webhooks yet.
              </td>
            </tr>
          )}
          {hooks.data?.map((h) => (
            <tr key={h.id} data-testid="webhook-row" aria-selected={selected === h.id}>
              <td className="mono">{h.url}</td>
              <td>{h.show ? `show ${h.show}` : 'my jobs'}</td>
              <td>{h.events.join(', ')}</td>
              <td>{new Date(h.createdAt).toLocaleString()}</td>
              <td style={{ whiteSpace: 'nowrap' }}>
                <button type="button" data-testid="webhook-test" onClick={() => test.mutate({ id: h.id })}>
                  Test
                </button>{' '}
                <button type="button" onClick={() => setSelected(selected === h.id ? null : h.id)}>
                  Deliveries
                </button>{' '}
                <button
                  type="button"
                  className="danger"
                  data-testid="webhook-delete"
                  onClick={() => {
                    if (window.confirm(`Delete the webhook to ${h.url} and its delivery log?`)) remove.mutate({ id: h.id });
                  }}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected && hooks.data?.some((h) => h.id === selected) && <Deliveries id={selected} />}
    </div>
  );
}

function Deliveries({ id }: { id: string }) {
  const trpc = useTRPC();
  // A delivery log is read while it changes: every 2 s while some delivery is still PENDING.
  const deliveries = useQuery({
    ...trpc.webhooks.deliveries.queryOptions({ id }),
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === 'PENDING') ? 2000 : false),
  });
  return (
    <section className="panel" style={{ marginTop: 14, padding: 12 }} aria-label="Deliveries">
      <h2 style={{ marginTop: 0 }}>Deliveries</h2>
      <table className="dense" style={{ width: '100%' }} data-testid="delivery-list">
        <thead>
          <tr>
            <th>Event</th>
            <th>Status</th>
            <th>Tries</th>
            <th>Last answer</th>
            <th>When</th>
            <th>Failed tries</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data?.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                Nothing sent yet. Press Test to send a signed webhook.test event.
              </td>
            </tr>
          )}
          {deliveries.data?.map((d) => (
            <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
              <td>
                {d.kind} <span className="muted">#{d.eventId}</span>
              </td>
              <td className={d.status === 'FAILED' ? 'field-error' : undefined}>{d.status}</td>
              <td>{d.tries}</td>
              <td>{d.responseStatus ?? '—'}</td>
              <td>
                {d.deliveredAt
                  ? `delivered ${new Date(d.deliveredAt).toLocaleTimeString()}`
                  : d.status === 'PENDING'
                    ? `next try ${new Date(d.nextTryAt).toLocaleTimeString()}`
                    : new Date(d.nextTryAt).toLocaleTimeString()}
              </td>
              <td>
                <pre className="mono" style={{ margin: 0, fontSize: 11, whiteSpace: 'pre-wrap' }}>
                  {d.log ?? ''}
                </pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
