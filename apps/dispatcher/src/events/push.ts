/** Tells a user's open pages (room `user:<name>` on /live) their unread count and latest notification. */
import type { NotificationsPush } from '@farmhand/contracts';
import type { Dispatcher } from '../dispatcher';

export async function pushNotifications(d: Dispatcher, users: readonly string[]): Promise<void> {
  for (const user of users) {
    if (!d.live.watchedUser(user)) continue;
    const [unread, latest] = await Promise.all([
      d.db.notification.count({ where: { user, readAt: null } }),
      d.db.notification.findFirst({ where: { user }, orderBy: { id: 'desc' } }),
    ]);
    const push: NotificationsPush = {
      unread,
      latest: latest && {
        id: latest.id,
        kind: latest.kind,
        title: latest.title,
        body: latest.body,
        link: latest.link,
        createdAt: latest.createdAt.toISOString(),
        readAt: latest.readAt?.toISOString() ?? null,
      },
    };
    d.live.notifications(user, push);
  }
}
