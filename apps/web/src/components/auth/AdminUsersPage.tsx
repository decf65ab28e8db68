'use client';
/**
 * `/admin/users` (admins): accounts — add a built-in (or directory) account, make or unmake
 * admin, disable, set a new password — their role grants per show or facility-wide, and the
 * render hosts' host tokens (made here, shown once, revoked here).
 */
import { ROLES, type Role } from '@farmhand/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../../client/trpc';

export function AdminUsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery({ ...trpc.admin.users.queryOptions(), retry: false });
  const shows = useQuery(trpc.shows.list.queryOptions());
  const hostTokens = useQuery({ ...trpc.admin.hostTokens.queryOptions(), retry: false });
  const refresh = () => void queryClient.invalidateQueries(trpc.admin.pathFilter());
  const [form, setForm] = useState({ name: '', displayName: '', password: '', source: 'local' as 'local' | 'ldap', admin: false });
  const [grant, setGrant] = useState<Record<string, { role: Role; show: string }>>({});
  const [hostName, setHostName] = useState('');
  const [madeHost, setMadeHost] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onError = (e: { message: string }) => setError(e.message);
  const ok = () => {
    setError(null);
    refresh();
  };
  const create = useMutation(
    trpc.admin.createUser.mutationOptions({
      onSuccess: () => {
        setForm({ name: '', displayName: '', password: '', source: 'local', admin: false });
        ok();
      },
      onError,
    }),
  );
  const update = useMutation(trpc.admin.updateUser.mutationOptions({ onSuccess: ok, onError }));
  const addGrant = useMutation(trpc.admin.addGrant.mutationOptions({ onSuccess: ok, onError }));
  const removeGrant = useMutation(trpc.admin.removeGrant.mutationOptions({ onSuccess: ok, onError }));
  const makeHostToken = useMutation(
    trpc.admin.createHostToken.mutationOptions({
      onSuccess: (t) => {
        setMadeHost({ name: t.name, token: t.token });
        setHostName('');
        ok();
      },
      onError,
    }),
  );
  const revokeHostToken = useMutation(trpc.admin.revokeHostToken.mutationOptions({ onSuccess: ok, onError }));

  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      name: form.name,
      displayName: form.displayName,
      source: form.source,
      admin: form.admin,
      ...(form.source === 'local' ? { password: form.password } : {}),
    });
  };

  return (
    <div style={{ maxWidth: 1100, overflow: 'auto', display: 'grid', gap: 12 }}>
      <div className="toolbar">
        <h1>Users and roles</h1>
        <span className="muted">
          Artist: own jobs, and a show's jobs where granted · Wrangler: everything of the farm · Production: reads a show, sets priority
        </span>
      </div>
      {(error ?? users.error?.message) && (
        <p className="notice error" role="alert" data-testid="admin-error">
          {error ?? users.error?.message}
        </p>
      )}
      <table className="dense panel" data-testid="user-list">
        <thead>
          <tr>
            <th>user</th>
            <th>source</th>
            <th>roles</th>
            <th>add a role</th>
            <th>admin</th>
            <th>account</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => {
            const g = grant[u.id] ?? { role: 'ARTIST' as Role, show: '' };
            return (
              <tr key={u.id} data-testid={`user-${u.name}`} className={u.disabled ? 'muted' : undefined}>
                <td>
                  <strong>{u.name}</strong> {u.displayName && <span className="muted">{u.displayName}</span>}
                  <div className="muted">last sign-in {u.lastLoginAt ? u.lastLoginAt.slice(0, 16).replace('T', ' ') : 'never'}</div>
                </td>
                <td>{u.source}</td>
                <td>
                  {u.grants.map((x) => (
                    <span key={x.id} className="kbd" style={{ marginRight: 4 }}>
                      {x.role.toLowerCase()} · {x.showId === null ? 'every show' : (x.showName ?? x.showId)}{' '}
                      <button
                        type="button"
                        aria-label={`Remove ${x.role} from ${u.name}`}
                        onClick={() => removeGrant.mutate({ grantId: x.id })}
                      >
                        ×
                      </button>
                    </span>
                  ))}
                  {u.grants.length === 0 && <span className="muted">none (own jobs only)</span>}
                </td>
                <td>
                  <select
                    aria-label={`Role for ${u.name}`}
                    value={g.role}
                    onChange={(e) => setGrant({ ...grant, [u.id]: { ...g, role: e.target.value as Role } })}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r.toLowerCase()}
                      </option>
                    ))}
                  </select>{' '}
                  <select
                    aria-label={`Show for ${u.name}`}
                    value={g.show}
                    onChange={(e) => setGrant({ ...grant, [u.id]: { ...g, show: e.target.value } })}
                  >
                    <option value="">every show</option>
                    {shows.data?.map((s) => (
                      <option key={s.id} value={s.name}>
                        {s.name}
                      </option>
                    ))}
                  </select>{' '}
                  <button
                    type="button"
                    data-testid={`grant-${u.name}`}
                    onClick={() => addGrant.mutate({ userId: u.id, role: g.role, show: g.show || null })}
                  >
                    Grant
                  </button>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${u.name} is admin`}
                    checked={u.admin}
                    onChange={(e) => update.mutate({ userId: u.id, admin: e.target.checked })}
                  />
                </td>
                <td>
                  <button type="button" onClick={() => update.mutate({ userId: u.id, disabled: !u.disabled })}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>{' '}
                  {u.source !== 'ldap' && (
                    <button
                      type="button"
                      onClick={() => {
                        const password = window.prompt(`New password for ${u.name} (at least 10 characters)`);
                        if (password) update.mutate({ userId: u.id, password });
                      }}
                    >
                      New password
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form
        className="panel"
        onSubmit={onCreate}
        aria-label="Add a user"
        style={{ padding: 14, display: 'flex', gap: 10, flexWrap: 'wrap', alignItems: 'end' }}
      >
        <strong style={{ width: '100%' }}>Add a user</strong>
        <label style={{ display: 'grid', gap: 3 }}>
          User name (as jobs record it)
          <input data-testid="new-user-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label style={{ display: 'grid', gap: 3 }}>
          Display name
          <input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
        </label>
        <label style={{ display: 'grid', gap: 3 }}>
          Account
          <select value={form.source} onChange={(e) => setForm({ ...form, source: e.target.value as 'local' | 'ldap' })}>
            <option value="local">built-in (password here)</option>
            <option value="ldap">directory (LDAP)</option>
          </select>
        </label>
        {form.source === 'local' && (
          <label style={{ display: 'grid', gap: 3 }}>
            Password (10+ characters)
            <input
              data-testid="new-user-password"
              type="password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          </label>
        )}
        <label>
          <input type="checkbox" checked={form.admin} onChange={(e) => setForm({ ...form, admin: e.target.checked })} /> admin
        </label>
        <button type="submit" className="primary" data-testid="new-user-create">
          Add
        </button>
      </form>
      <div className="panel" style={{ padding: 14, display: 'grid', gap: 8 }}>
        <strong>Host tokens</strong>
        <span className="muted">
          Each render host (or group of hosts) connects with its own token: <code className="mono">rqd --token …</code>. Revoke one to keep
          that host out.
        </span>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setMadeHost(null);
            makeHostToken.mutate({ name: hostName });
          }}
          style={{ display: 'flex', gap: 8 }}
        >
          <input
            aria-label="Host token name"
            value={hostName}
            onChange={(e) => setHostName(e.target.value)}
            placeholder="render-0xx rack 3"
          />
          <button type="submit">Make host token</button>
        </form>
        {madeHost && (
          <div className="notice ok" role="status">
            {madeHost.name}: copy it now — it is not shown again.
            <div className="mono" style={{ userSelect: 'all', wordBreak: 'break-all' }}>
              {madeHost.token}
            </div>
          </div>
        )}
        <table className="dense">
          <tbody>
            {hostTokens.data?.map((t) => (
              <tr key={t.id} className={t.revokedAt ? 'muted' : undefined}>
                <td>{t.name}</td>
                <td className="mono">{t.prefix}…</td>
                <td>{t.createdAt.slice(0, 10)}</td>
                <td>
                  {t.revokedAt ? (
                    'revoked'
                  ) : (
                    <button type="button" className="danger" onClick={() => revokeHostToken.mutate({ tokenId: t.id })}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
