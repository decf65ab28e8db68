/** Every /api/v1 endpoint without a route file of its own, through the endpoint list (server/api). */
import { handleApiV1 } from '../../../../server/api/router';
import { webDeps } from '../../../../server/deps';

export const dynamic = 'force-dynamic';

export function GET(req: Request) {
  return handleApiV1(webDeps(), req);
}

export function POST(req: Request) {
  return handleApiV1(webDeps(), req);
}
