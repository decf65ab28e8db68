/** The tRPC API over HTTP (fetch Request → Response), with the process's deps or a test's. */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { type WebDeps, webDeps } from './deps';
import { appRouter } from './routers';
import { createContext } from './trpc';

export const TRPC_ENDPOINT = '/api/trpc';

export function handleTrpc(req: Request, deps?: WebDeps): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createContext(req, deps ?? webDeps(), resHeaders),
  });
}
