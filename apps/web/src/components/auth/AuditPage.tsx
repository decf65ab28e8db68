'use client';
/**
 * `/admin/audit` (wranglers and admins): the command table — who asked for what, on which
 * job, host or show, when, and what came of it — filtered by user, object and time, newest
 * first, older pages on demand.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../../client/trpc';

interface Filter {
  user?: string;
  object?: string;
  from?: string;
  to?: string;
  before?: number;
}

/** `datetime-local` gives local wall time without a zone: send it as an instant. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function AuditPage() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState({ user: '', object: '', from: '', to: '' });
  const [filter, setFilter] = useState<Filter>({});
  const audit = useQuery({ ...trpc.admin.audit.queryOptions(filter), retry: false });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const from = toIso(draft.from);
    const to = toIso(draft.to);
    setFilter({
      ...(draft.user ? { user: draft.user } : {}),
      ...(draft.object ? { object: draft.object } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
  };
  return (
    <div style={{ overflow: 'auto', display: 'grid', gap: 10 }}>
      <form className="toolbar" onSubmit={onSubmit} aria-label="Filter the audit trail">
        <h1>Audit trail</h1>
        <input
          aria-label="User"
          data-testid="audit-user"
          placeholder="user"
          value={draft.user}
          onChange={(e) => setDraft({ ...draft, user: e.target.value })}
        />
        <input
          aria-label="Object"
          data-testid="audit-object"
          placeholder="job id, host, show or command"
          value={draft.object}
          onChange={(e) => setDraft({ ...draft, object: e.target.value })}
          size={28}
        />
        <label className="muted">
          from{' '}
          <input
            type="datetime-local"
            aria-label="From"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label className="muted">
          to <input type="datetime-local" aria-label="To" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button type="submit" className="primary" data-testid="audit-apply">
          Filter
        </button>
      </form>
      {audit.error && (
        <p className="notice error" role="alert" data-testid="audit-error">
          {audit.error.message}
        </p>
      )}
      <table className="dense panel" data-testid="audit-table">
        <thead>
          <tr>
            <th>#</th>
            <th>when (UTC)</th>
            <th>user</th>
            <th>command</th>
            <th>on</th>
            <th>arguments</th>
            <th>outcome</th>
          </tr>
        </thead>
        <tbody>
          {audit.data?.rows.map((r) => (
            <tr key={r.id}>
              <td>{r.id}</td>
              <td>{r.at.slice(0, 19).replace('T', ' ')}</td>
              <td>{r.user}</td>
              <td className="mono">{r.kind}</td>
              <td>
                {r.targetType} {r.targetName ?? <span className="mono">{r.targetId}</span>}
              </td>
              <td
                className="mono"
                style={{ maxWidth: 320, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                title={r.args}
              >
                {r.args}
              </td>
              <td className={r.status === 'FAILED' ? 'danger' : undefined} title={r.outcome ?? ''}>
                {r.status}
              </td>
            </tr>
          ))}
          {audit.data?.rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No commands match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="toolbar">
        {filter.before !== undefined && (
          <button type="button" onClick={() => setFilter({ ...filter, before: undefined })}>
            Newest
          </button>
        )}
        {audit.data?.next != null && (
          <button type="button" onClick={() => setFilter({ ...filter, before: audit.data?.next ?? undefined })}>
            Older
          </button>
        )}
      </div>
    </div>
  );
}
