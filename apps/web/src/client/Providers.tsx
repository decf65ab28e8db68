'use client';
/**
 * The browser's providers: TanStack Query (no refetch on focus or interval: the live socket
 * keeps the cache current), the tRPC client, the farm config, the theme and the live connection.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
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
  // The user name counts in local mode only; signed in, the session decides. The CSRF token
  // goes with every request (the server checks it on mutations).
  const headers = () => ({ 'x-farmhand-user': currentUser(config.defaultUser), [CSRF_HEADER]: csrfToken() });
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // A read that a page waits on before showing anything (a grid's saved view, a job's
        // frames) asks `context: { skipBatch: true }`: a batch answers only when its slowest
        // procedure has, and the page would wait for whatever else was asked in the same tick.
        splitLink({
          condition: (op) => op.context.skipBatch === true,
          true: httpLink({ url: '/api/trpc', headers }),
          false: httpBatchLink({ url: '/api/trpc', headers }),
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
