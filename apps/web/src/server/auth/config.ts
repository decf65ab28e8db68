/**
 * How the web recognises people, built once per process from settings (tests build their own):
 * local mode or sign-in required, session length, LDAP, the sign-in limiter, the live secret.
 */
import os from 'node:os';
import type { Settings } from '@farmhand/contracts';
import { resolveLiveSecret } from '@farmhand/contracts/live-ticket';
import type { LdapConfig } from './ldap';
import { DEFAULT_SIGN_IN_LIMITS, SignInLimiter, type SignInLimits } from './rateLimit';

export interface AuthConfig {
  /** `local`: the web listens on loopback only and FARMHAND_AUTH is unset: the OS user is admin. */
  mode: 'local' | 'required';
  /** The name local mode signs in as (the OS user), unless the page names one in `x-farmhand-user`. */
  localUser: string;
  sessionHours: number;
  ldap: LdapConfig | null;
  limiter: SignInLimiter;
  /** Read (or made) on first use: the data dir is touched only when a live ticket is signed. */
  liveSecret: () => string;
}

export function authConfigFrom(settings: Settings, limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS): AuthConfig {
  return {
    mode: settings.authMode,
    localUser: osUser(),
    sessionHours: settings.sessionHours,
    ldap: settings.ldap,
    limiter: new SignInLimiter(limits),
    liveSecret: memo(() => resolveLiveSecret(settings.dataDir, settings.liveSecret)),
  };
}

function osUser(): string {
  try {
    return os.userInfo().username || 'local';
  } catch {
    return 'local';
  }
}

function memo<T>(make: () => T): () => T {
  let value: { v: T } | null = null;
  return () => {
    value ??= { v: make() };
    return value.v;
  };
}
