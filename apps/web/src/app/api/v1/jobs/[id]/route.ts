/** GET /api/v1/jobs/{id}: the job, its layers and its frames. */
import { webDeps } from '../../../../../server/deps';
import { getJobById } from '../../../../../server/rest';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  return getJobById(webDeps(), (await params).id);
}
