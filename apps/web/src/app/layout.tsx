/**
 * The root layout: dark theme, the top bar, and the providers, given the settings the
 * browser needs (read at request time, not baked in at build).
 */
import os from 'node:os';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '../client/Providers';
import { TopBar } from '../components/TopBar';
import { getSettings } from '../server/settings';
import './globals.css';

export const metadata: Metadata = { title: 'Farmhand', description: 'Render farm manager' };

function defaultUser(): string {
  try {
    return process.env.USER || os.userInfo().username;
  } catch {
    return 'artist';
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const settings = getSettings();
  return (
    <html lang="en">
      <body>
        <Providers config={{ dispatcherPort: settings.dispatcherPort, defaultUser: defaultUser() }}>
          <div className="app">
            <TopBar />
            <main className="main">{children}</main>
          </div>
        </Providers>
      </body>
    </html>
  );
}
