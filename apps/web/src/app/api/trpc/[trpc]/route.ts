/** Mounts the tRPC API at /api/trpc. */
import { handleTrpc } from '../../../../server/trpcHandler';

// Next passes route params as a second argument; the handler must only see the request.
export function GET(req: Request) {
  return handleTrpc(req);
}

export function POST(req: Request) {
  return handleTrpc(req);
}
