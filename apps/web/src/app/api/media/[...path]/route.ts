/** GET /api/media/<path under the media root>: preview images, HLS playlists and segments (see server/mediaFiles.ts). */
import { errorResponse } from '../../../../server/appErrors';
import { mediaResponse } from '../../../../server/mediaFiles';
import { getSettings } from '../../../../server/settings';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  try {
    const { path } = await params;
    return await mediaResponse(getSettings().mediaRoot, path.join('/'));
  } catch (error) {
    return errorResponse(error);
  }
}
