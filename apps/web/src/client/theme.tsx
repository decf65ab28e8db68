'use client';
/**
 * The person's theme (dark by default), kept in localStorage and set on <html data-theme> so
 * the CSS variables and the shared components follow.
 */
import { FarmThemeProvider, type ThemeName } from '@farmhand/ui';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';

const THEME_KEY = 'farmhand.theme';
const Toggle = createContext<() => void>(() => undefined);

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [theme, setTheme] = useState<ThemeName>('dark');
  useEffect(() => {
    if (window.localStorage.getItem(THEME_KEY) === 'light') setTheme('light');
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const toggle = useCallback(() => {
    setTheme((t) => {
      const next = t === 'dark' ? 'light' : 'dark';
      window.localStorage.setItem(THEME_KEY, next);
      return next;
    });
  }, []);
  return (
    <Toggle.Provider value={toggle}>
      <FarmThemeProvider theme={theme}>{children}</FarmThemeProvider>
    </Toggle.Provider>
  );
}

export function useToggleTheme(): () => void {
  return useContext(Toggle);
}
