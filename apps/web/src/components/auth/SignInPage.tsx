'use client';
/**
 * `/signin`: user name and password (a built-in account, or a directory account when LDAP is
 * configured). A refusal never says whether the name exists; too many failures say how long
 * to wait. Signed in, back to the page that sent you here.
 */
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useMe } from '../../client/auth';
import { useTRPC } from '../../client/trpc';

export function SignInPage() {
  const trpc = useTRPC();
  const { me } = useMe();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: () => {
        // A full load: the page's caches, the live socket (with a ticket now) start afresh as this user.
        const next = new URLSearchParams(window.location.search).get('next');
        window.location.replace(next?.startsWith('/') && !next.startsWith('//') ? next : '/');
      },
    }),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ name, password });
  };
  if (me?.mode === 'local')
    return (
      <div className="panel" style={{ maxWidth: 420, padding: 16 }}>
        <h1 style={{ fontSize: 16, marginTop: 0 }}>No sign-in on this machine</h1>
        <p className="muted">Farmhand runs in local mode (listening on loopback only): you are {me.actor?.name}, with every right.</p>
      </div>
    );
  return (
    <form
      className="panel"
      onSubmit={onSubmit}
      aria-label="Sign in"
      style={{ maxWidth: 360, padding: 18, display: 'grid', gap: 12, margin: '40px auto' }}
    >
      <h1 style={{ fontSize: 16, margin: 0 }}>Sign in to Farmhand</h1>
      <label style={{ display: 'grid', gap: 3 }}>
        <strong>User name</strong>
        <input data-testid="signin-name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label style={{ display: 'grid', gap: 3 }}>
        <strong>Password</strong>
        <input
          data-testid="signin-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {signIn.error && (
        <p className="notice error" role="alert" data-testid="signin-error" style={{ margin: 0 }}>
          {signIn.error.message}
        </p>
      )}
      <button type="submit" className="primary" data-testid="signin-submit" disabled={signIn.isPending || !name || !password}>
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </button>
      {me?.ldap && (
        <p className="muted" style={{ margin: 0 }}>
          Studio (directory) accounts sign in with their usual password.
        </p>
      )}
    </form>
  );
}
