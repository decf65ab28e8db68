'use client';
/**
 * The browser's providers: TanStack Query (no refetch on focus or interval: the live socket
 * keeps the cache current), the tRPC client, the farm config, the theme and the live connection.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { type ReactNode, useState } from 'react';
import type { AppRouter } from '../server/routers';
import { AuthGate, CSRF_HEADER, csrfToken } from './auth';
import { currentUser, type FarmConfig, FarmProvider } from './farmContext';
import { LiveProvider } from './live';
import { ThemeProvider } from './theme';
import { TRPCProvider } from './trpc';

export function Providers({ config, children }: { config: FarmConfig; children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 60_000, refetchOnWindowFocus: false, retry: 1 } },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: '/api/trpc',
          // The user name counts in local mode only; signed in, the session decides. The CSRF token
          // goes with every request (the server checks it on mutations).
          headers: () => ({ 'x-farmhand-user': currentUser(config.defaultUser), [CSRF_HEADER]: csrfToken() }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <FarmProvider config={config}>
          <ThemeProvider>
            <LiveProvider dispatcherPort={config.dispatcherPort}>
              <AuthGate>{children}</AuthGate>
            </LiveProvider>
          </ThemeProvider>
        </FarmProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
