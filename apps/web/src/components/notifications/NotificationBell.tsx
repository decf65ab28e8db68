'use client';
/**
 * The bell in the top bar: the user's unread count, pushed live by the dispatcher to the room
 * `user:<name>` (no polling — a push refreshes the list), and a panel listing the newest
 * notifications (farm events, log alerts, whatever was written for the user) with links to the
 * job, frame or host, marking read one by one or all at once.
 */
import { liveRoom, type NotificationRow } from '@farmhand/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { useFarm } from '../../client/farmContext';
import { useLiveRoom } from '../../client/live';
import { useTRPC } from '../../client/trpc';

function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function NotificationBell() {
  const { user: chosenUser } = useFarm();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);
  const listKey = trpc.notifications.list.queryKey();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: listKey });
  // Whose bell this is, as the server sees the request (the signed-in user, or the chosen name in local mode).
  // Mounted afresh when the chosen name changes (TopBar keys it): read again, whatever the cache holds.
  const list = useQuery({ ...trpc.notifications.list.queryOptions(), enabled: Boolean(chosenUser), refetchOnMount: 'always' });
  const user = list.data?.user ?? null;
  const ready = useLiveRoom(user ? liveRoom.user(user) : null, {
    notifications: (push) => {
      queryClient.setQueryData(listKey, (old: { user: string; unread: number; items: NotificationRow[] } | undefined) =>
        old ? { ...old, unread: push.unread } : old,
      );
      refresh();
    },
    resync: refresh,
  });
  // The room is joined after the first read: read again once joined, so nothing in between is missed.
  useEffect(() => {
    if (ready && user) void queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() });
  }, [ready, user, queryClient, trpc]);
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: refresh }));
  const unread = list.data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (panelRef.current && !panelRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="bell" ref={panelRef}>
      <button
        type="button"
        data-testid="notification-bell"
        aria-label={unread > 0 ? `Notifications: ${unread} unread` : 'Notifications'}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title="Notifications"
      >
        {/* An SVG, not an emoji: headless and minimal systems have no emoji font. */}
        <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
          <path d="M8 16a2 2 0 0 0 2-2H6a2 2 0 0 0 2 2Zm5-5V7a5 5 0 0 0-4-4.9V1a1 1 0 1 0-2 0v1.1A5 5 0 0 0 3 7v4l-1.5 1.5V13h13v-.5L13 11Z" />
        </svg>
        {unread > 0 && (
          <span className="bell-count" data-testid="notification-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-panel" data-testid="notification-panel" role="dialog" aria-label="Notifications">
          <div className="bell-head">
            <strong>Notifications</strong>
            <span className="spacer" />
            <button type="button" disabled={unread === 0 || markRead.isPending} onClick={() => markRead.mutate({})}>
              Mark all read
            </button>
            <Link href="/settings" onClick={() => setOpen(false)}>
              Webhooks…
            </Link>
          </div>
          {list.data?.items.length === 0 && (
            <p className="muted bell-empty">Nothing yet: finished jobs, dead frames and hosts going down show here.</p>
          )}
          <ul className="bell-list">
            {list.data?.items.map((n) => (
              <li key={n.id} data-testid="notification-item" data-unread={n.readAt === null} className={n.readAt === null ? 'unread' : ''}>
                {n.link ? (
                  <Link
                    href={n.link}
                    onClick={() => {
                      if (n.readAt === null) markRead.mutate({ ids: [n.id] });
                      setOpen(false);
                    }}
                  >
                    {n.title}
                  </Link>
                ) : (
                  <span>{n.title}</span>
                )}
                {n.body && <div className="muted">{n.body}</div>}
                <div className="muted bell-meta">
                  {ago(n.createdAt)} · {n.kind}
                  {n.readAt === null && (
                    <button type="button" className="link" onClick={() => markRead.mutate({ ids: [n.id] })}>
                      mark read
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
