'use client';
/**
 * What the server tells the browser at page load (the dispatcher's port for the live socket,
 * a default user name), and who the browser's user is: kept in localStorage and sent with
 * every request as `x-farmhand-user` until accounts exist.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';

export interface FarmConfig {
  dispatcherPort: number;
  defaultUser: string;
}

interface FarmContextValue extends FarmConfig {
  user: string;
  setUser: (name: string) => void;
}

const USER_KEY = 'farmhand.user';
const FarmContext = createContext<FarmContextValue | null>(null);

/** The current user for non-React code (the tRPC link's headers). */
export function currentUser(fallback: string): string {
  if (typeof window === 'undefined') return fallback;
  return window.localStorage.getItem(USER_KEY) || fallback;
}

export function FarmProvider({ config, children }: { config: FarmConfig; children: ReactNode }) {
  const [user, setUserState] = useState(config.defaultUser);
  useEffect(() => setUserState(currentUser(config.defaultUser)), [config.defaultUser]);
  const setUser = useCallback((name: string) => {
    window.localStorage.setItem(USER_KEY, name);
    setUserState(name);
  }, []);
  return <FarmContext.Provider value={{ ...config, user, setUser }}>{children}</FarmContext.Provider>;
}

export function useFarm(): FarmContextValue {
  const value = useContext(FarmContext);
  if (!value) throw new Error('useFarm must be used inside <FarmProvider>');
  return value;
}
