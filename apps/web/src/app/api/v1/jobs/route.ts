/** POST /api/v1/jobs: submit a job spec (the same schema the form uses); GET: the jobs list with filters and cursor. */
import { handleApiV1 } from '../../../../server/api/router';
import { webDeps } from '../../../../server/deps';
import { postJob } from '../../../../server/rest';

export const dynamic = 'force-dynamic';

export function POST(req: Request) {
  return postJob(webDeps(), req);
}

export function GET(req: Request) {
  return handleApiV1(webDeps(), req);
}
