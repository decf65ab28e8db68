/** GET /api/openapi.json: the OpenAPI 3.1 document of /api/v1, generated from the endpoints' own schemas. */
import { openApiDocument } from '../../../server/api/openapi';

export function GET() {
  return Response.json(openApiDocument());
}
