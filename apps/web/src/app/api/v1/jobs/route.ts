/** POST /api/v1/jobs: submit a job spec (the same schema the form uses). */
import { webDeps } from '../../../../server/deps';
import { postJob } from '../../../../server/rest';

export function POST(req: Request) {
  return postJob(webDeps(), req);
}
