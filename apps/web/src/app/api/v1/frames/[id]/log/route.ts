/** GET /api/v1/frames/{id}/log?attempt=N: the text of that attempt's log, with Range support. */
import { getFrameLog } from '../../../../../../server/rest';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  return getFrameLog(req, (await params).id);
}
