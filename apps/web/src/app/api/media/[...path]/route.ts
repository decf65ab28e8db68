/** GET /api/media/previews/<job>/…: preview images, HLS playlists and segments, to readers of the job (see server/mediaFiles.ts). */
import { errorResponse } from '../../../../server/appErrors';
import { webDeps } from '../../../../server/deps';
import { serveMedia } from '../../../../server/mediaFiles';
import { getSettings } from '../../../../server/settings';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  try {
    // Signed in and allowed to read the job the preview belongs to (`previews/<job id>/…`).
    const { path } = await params;
    return await serveMedia(webDeps(), req, getSettings().mediaRoot, path.join('/'));
  } catch (error) {
    return errorResponse(error);
  }
}
