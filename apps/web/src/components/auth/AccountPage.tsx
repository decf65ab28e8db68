'use client';
/**
 * `/account`: who I am, my roles, and my API tokens (for the CLI, the SDK and scripts):
 * make one with scopes and an optional expiry — its secret is shown once — and revoke.
 */
import { TOKEN_SCOPES, type TokenScope } from '@farmhand/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useMe } from '../../client/auth';
import { useTRPC } from '../../client/trpc';

const SCOPE_LABELS: Record<TokenScope, string> = {
  read: 'read — jobs, frames, logs, hosts, reports',
  submit: 'submit — new jobs and submissions',
  act: 'act — retry, kill, eat, pause, priority, lock hosts (what your roles allow)',
};

export function AccountPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useMe();
  const tokens = useQuery({ ...trpc.auth.tokens.queryOptions(), enabled: me?.mode === 'required' });
  const shows = useQuery(trpc.shows.list.queryOptions());
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['read']);
  const [days, setDays] = useState('');
  const [made, setMade] = useState<{ token: string; name: string } | null>(null);
  const refresh = () => void queryClient.invalidateQueries(trpc.auth.tokens.pathFilter());
  const create = useMutation(
    trpc.auth.createToken.mutationOptions({
      onSuccess: (t) => {
        setMade({ token: t.token, name });
        setName('');
        refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.auth.revokeToken.mutationOptions({ onSuccess: refresh }));
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: () => {
        window.location.href = '/signin';
      },
    }),
  );
  const showName = (id: string | null) => (id === null ? 'every show' : (shows.data?.find((s) => s.id === id)?.name ?? id));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setMade(null);
    create.mutate({ name, scopes, ...(days ? { expiresInDays: Number(days) } : {}) });
  };
  const actor = me?.actor;
  return (
    <div style={{ maxWidth: 900, overflow: 'auto', display: 'grid', gap: 12 }}>
      <div className="toolbar">
        <h1>My account</h1>
        <span data-testid="account-name">{actor?.name}</span>
        {actor?.admin && <span className="kbd">admin</span>}
        {actor?.grants.map((g) => (
          <span key={`${g.role}:${g.showId}`} className="kbd">
            {g.role.toLowerCase()} · {showName(g.showId)}
          </span>
        ))}
        <span className="spacer" />
        {me?.mode === 'required' && (
          <button type="button" data-testid="sign-out" onClick={() => signOut.mutate()}>
            Sign out
          </button>
        )}
      </div>
      {me?.mode === 'local' ? (
        <p className="notice">Local mode: no accounts or API tokens are needed on this machine; scripts call the API as they are.</p>
      ) : (
        <>
          <form className="panel" onSubmit={onSubmit} aria-label="New API token" style={{ padding: 14, display: 'grid', gap: 10 }}>
            <strong>New API token</strong>
            <span className="muted">
              For <code className="mono">farmhand --token</code>, <code className="mono">FARMHAND_TOKEN</code> or{' '}
              <code className="mono">Authorization: Bearer …</code>. It can never do more than you can.
            </span>
            <label style={{ display: 'grid', gap: 3 }}>
              Name
              <input data-testid="token-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="pipeline on ws-042" />
            </label>
            <fieldset style={{ border: 'none', padding: 0, display: 'grid', gap: 4 }}>
              <legend style={{ marginBottom: 4 }}>Scopes</legend>
              {TOKEN_SCOPES.map((s) => (
                <label key={s}>
                  <input
                    type="checkbox"
                    data-testid={`token-scope-${s}`}
                    checked={scopes.includes(s)}
                    onChange={(e) => setScopes((old) => (e.target.checked ? [...old, s] : old.filter((x) => x !== s)))}
                  />{' '}
                  {SCOPE_LABELS[s]}
                </label>
              ))}
            </fieldset>
            <label style={{ display: 'grid', gap: 3, maxWidth: 240 }}>
              Expires after (days, empty: never)
              <input
                data-testid="token-days"
                inputMode="numeric"
                value={days}
                onChange={(e) => setDays(e.target.value.replace(/\D/g, ''))}
              />
            </label>
            {create.error && (
              <p className="notice error" role="alert" style={{ margin: 0 }}>
                {create.error.message}
              </p>
            )}
            <div>
              <button type="submit" className="primary" data-testid="token-create" disabled={create.isPending}>
                Make token
              </button>
            </div>
          </form>
          {made && (
            <div className="notice ok" data-testid="token-made" role="status">
              <strong>{made.name}</strong>: copy it now — it is not shown again.
              <div className="mono" data-testid="token-secret" style={{ marginTop: 6, userSelect: 'all', wordBreak: 'break-all' }}>
                {made.token}
              </div>
            </div>
          )}
          <table className="dense panel" data-testid="token-list">
            <thead>
              <tr>
                <th>name</th>
                <th>token</th>
                <th>scopes</th>
                <th>made</th>
                <th>expires</th>
                <th>last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.data?.map((t) => (
                <tr key={t.id} className={t.revokedAt ? 'muted' : undefined}>
                  <td>{t.name}</td>
                  <td className="mono">{t.prefix}…</td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{t.createdAt.slice(0, 16).replace('T', ' ')}</td>
                  <td>{t.expiresAt ? t.expiresAt.slice(0, 10) : 'never'}</td>
                  <td>{t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace('T', ' ') : '—'}</td>
                  <td>
                    {t.revokedAt ? (
                      'revoked'
                    ) : (
                      <button type="button" className="danger" onClick={() => revoke.mutate({ tokenId: t.id })}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
              {tokens.data?.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    No API tokens yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
