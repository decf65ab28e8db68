/** GET /api/media/<path under the media root>: preview images, HLS playlists and segments (see server/mediaFiles.ts). */
import { errorResponse } from '../../../../server/appErrors';
import { requireActor } from '../../../../server/auth/request';
import { webDeps } from '../../../../server/deps';
import { mediaResponse } from '../../../../server/mediaFiles';
import { getSettings } from '../../../../server/settings';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  try {
    // Previews are readable by anyone signed in (the file path names no show the policy could check).
    const deps = webDeps();
    if (deps.auth) await requireActor(req, await deps.db(), deps.auth);
    const { path } = await params;
    return await mediaResponse(getSettings().mediaRoot, path.join('/'));
  } catch (error) {
    return errorResponse(error);
  }
}
