'use client';
/**
 * The browser's side of sign-in: who is signed in (`useMe`), the CSRF token every mutation
 * sends back (read from the `farmhand_csrf` cookie the server set at sign-in), and the gate
 * that sends a visitor to /signin when this server needs sign-in and nobody is signed in.
 * Local mode (loopback, no config) has no sign-in: the OS user is admin.
 */
import type { Actor } from '@farmhand/contracts';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, useEffect } from 'react';
import { useFarm } from './farmContext';
import { useTRPC } from './trpc';

export const CSRF_COOKIE = 'farmhand_csrf';
export const CSRF_HEADER = 'x-farmhand-csrf';

/** The session's CSRF token for the `x-farmhand-csrf` header ('' when there is none). */
export function csrfToken(): string {
  if (typeof document === 'undefined') return '';
  const hit = document.cookie.split(';').find((c) => c.trim().startsWith(`${CSRF_COOKIE}=`));
  return hit ? decodeURIComponent(hit.trim().slice(CSRF_COOKIE.length + 1)) : '';
}

export interface Me {
  mode: 'local' | 'required';
  ldap: boolean;
  actor: Actor | null;
}

export function useMe(): { me: Me | undefined; loading: boolean } {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 30_000, retry: false });
  return { me: q.data as Me | undefined, loading: q.isLoading };
}

/** Whether the actor holds a role facility-wide (wranglers see the audit trail). */
export function isFacilityWrangler(actor: Actor | null | undefined): boolean {
  return !!actor && (actor.admin || actor.grants.some((g) => g.role === 'WRANGLER' && g.showId === null));
}

const OPEN_PATHS = ['/signin'];

export function AuthGate({ children }: { children: ReactNode }) {
  const { me, loading } = useMe();
  const path = usePathname();
  const router = useRouter();
  const { user, setUser } = useFarm();
  const needsSignIn = me?.mode === 'required' && !me.actor && !OPEN_PATHS.includes(path);
  useEffect(() => {
    if (needsSignIn) router.replace(`/signin?next=${encodeURIComponent(path)}`);
  }, [needsSignIn, path, router]);
  useEffect(() => {
    // Signed in: the name other parts of the page use is the account's.
    if (me?.mode === 'required' && me.actor && me.actor.name !== user) setUser(me.actor.name);
  }, [me, user, setUser]);
  if (needsSignIn || (loading && !OPEN_PATHS.includes(path))) return <p className="muted">Checking your sign-in…</p>;
  return <>{children}</>;
}
