'use client';
/** The bar on every page: navigation, who the user is, whether live updates are flowing. */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { isFacilityWrangler, useMe } from '../client/auth';
import { useFarm } from '../client/farmContext';
import { useLiveStatus } from '../client/live';
import { useToggleTheme } from '../client/theme';
import { NotificationBell } from './notifications/NotificationBell';

const LINKS = [
  { href: '/', label: 'Jobs' },
  { href: '/submit', label: 'Submit' },
  { href: '/hosts', label: 'Hosts' },
  { href: '/farm', label: 'Farm' },
  { href: '/production', label: 'Production' },
  { href: '/views', label: 'Pages' },
  { href: '/settings', label: 'Settings' },
];

const STATUS_COLORS = { live: '#3fb950', connecting: '#e3b341', offline: '#f85149' };

export function TopBar() {
  const path = usePathname();
  const { user, setUser } = useFarm();
  const status = useLiveStatus();
  const { me } = useMe();
  const toggleTheme = useToggleTheme();
  return (
    <header className="topbar">
      <span className="brand">Farmhand</span>
      <nav className="nav" aria-label="Main">
        {[
          // Nobody signed in on a farm that needs it: nothing to navigate to but the sign-in page.
          ...(me?.mode === 'required' && !me.actor ? [] : LINKS),
          ...(isFacilityWrangler(me?.actor) ? [{ href: '/admin/audit', label: 'Audit' }] : []),
          ...(me?.actor?.admin ? [{ href: '/admin/users', label: 'Users' }] : []),
        ].map((l) => {
          const active = l.href === '/' ? path === '/' || path.startsWith('/jobs') : path.startsWith(l.href);
          return (
            <Link key={l.href} href={l.href} aria-current={active ? 'page' : undefined}>
              {l.label}
            </Link>
          );
        })}
      </nav>
      <span className="spacer" />
      <span data-testid="live-status" data-status={status} className="muted" title="Live updates from the dispatcher">
        <span className="live-dot" style={{ background: STATUS_COLORS[status] }} />
        {status === 'live' ? 'live' : status === 'connecting' ? 'connecting…' : 'dispatcher offline'}
      </span>
      <NotificationBell key={user} />
      <button
        type="button"
        data-testid="theme-toggle"
        onClick={toggleTheme}
        aria-label="Switch between dark and light theme"
        title="Dark / light"
      >
        ◐
      </button>
      {me?.mode === 'required' ? (
        <Link href="/account" data-testid="account-link" title="My account and API tokens">
          {me.actor?.name ?? 'sign in'}
        </Link>
      ) : (
        <label className="muted">
          user{' '}
          <input
            aria-label="Your user name"
            data-testid="current-user"
            value={user}
            onChange={(e) => setUser(e.target.value.trim())}
            size={10}
          />
        </label>
      )}
    </header>
  );
}
