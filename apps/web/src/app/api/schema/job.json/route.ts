/** GET /api/schema/job.json: the job spec (and, under $defs, the submission) as JSON Schema. */
import { jobSpecJsonSchema } from '../../../../server/api/openapi';

export function GET() {
  return Response.json(jobSpecJsonSchema(), { headers: { 'content-type': 'application/schema+json' } });
}
