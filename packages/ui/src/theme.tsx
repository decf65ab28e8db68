'use client';
/**
 * Dark or light, for the whole app: the page sets `data-theme` on <html> (CSS variables follow)
 * and components that draw with their own colors — grids, the log viewer, charts — read it here.
 */
import { createContext, type ReactNode, useContext } from 'react';
import { farmGridLightTheme, farmGridTheme } from './gridTheme';

export type ThemeName = 'dark' | 'light';

const ThemeContext = createContext<ThemeName>('dark');

export function FarmThemeProvider({ theme, children }: { theme: ThemeName; children: ReactNode }) {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export function useFarmTheme(): ThemeName {
  return useContext(ThemeContext);
}

export function useFarmGridTheme() {
  return useFarmTheme() === 'light' ? farmGridLightTheme : farmGridTheme;
}
