/** GET /api/v1/frames/{id}/log?attempt=N[&offset=K]: the text of that attempt's log, with Range support. */
import { webDeps } from '../../../../../../server/deps';
import { getFrameLog } from '../../../../../../server/rest';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  return getFrameLog(webDeps(), req, (await params).id);
}
