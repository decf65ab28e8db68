/** GET /api/health: `{status, dispatcher, hostsUp}` for scripts and checks. */
import { webDeps } from '../../../server/deps';
import { getHealth } from '../../../server/rest';

export const dynamic = 'force-dynamic';

export function GET() {
  return getHealth(webDeps());
}
