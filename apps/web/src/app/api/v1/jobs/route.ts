/** POST /api/v1/jobs: submit a job spec (the same schema the form uses). */
import { postJob } from '../../../../server/rest';

export function POST(req: Request) {
  return postJob(req);
}
