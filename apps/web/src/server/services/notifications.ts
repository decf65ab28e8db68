/**
 * A user's in-app notifications (the bell): every Notification row of the user, whatever its
 * kind (farm events from the dispatcher, log alerts…), newest first; marking read. After a
 * change the dispatcher is asked to push the new unread count to the user's open pages.
 */
import type { NotificationRow } from '@farmhand/contracts';
import type { Database } from '../db';

export async function listNotifications(
  db: Database,
  user: string,
  query: { unread?: '0' | '1'; limit?: number } = {},
): Promise<{ user: string; unread: number; items: NotificationRow[] }> {
  // The rows first, then the count: read side by side, a notification committed between the two
  // reads could be listed unread and not counted. In this order every unread row listed is counted.
  const rows = await db.prisma.notification.findMany({
    where: { user, ...(query.unread === '1' ? { readAt: null } : {}) },
    orderBy: { id: 'desc' },
    take: query.limit ?? 50,
  });
  const unread = await db.prisma.notification.count({ where: { user, readAt: null } });
  return {
    user,
    unread,
    items: rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt?.toISOString() ?? null,
    })),
  };
}

/** Marks the user's notifications read (these ids, or all); answers how many changed and the unread left. */
export async function markRead(
  db: Database,
  dispatcherUrl: string,
  user: string,
  ids?: number[],
): Promise<{ marked: number; unread: number }> {
  const { count } = await db.prisma.notification.updateMany({
    where: { user, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
    data: { readAt: new Date() },
  });
  const unread = await db.prisma.notification.count({ where: { user, readAt: null } });
  // The user's other tabs hear the new count; best effort (the dispatcher may be down).
  await fetch(`${dispatcherUrl}/notifications/${encodeURIComponent(user)}/push`, {
    method: 'POST',
    signal: AbortSignal.timeout(2000),
  }).catch(() => undefined);
  return { marked: count, unread };
}
