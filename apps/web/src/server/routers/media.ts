/** The frame movie of a job (its preview layers' frames, images and playlists). */
import { z } from 'zod';
import { byJobId, jobRead } from '../access';
import { jobMovie } from '../services/media';
import { getSettings } from '../settings';
import { router } from '../trpc';

export const mediaRouter = router({
  movie: jobRead(byJobId)
    .input(z.object({ jobId: z.string().min(1) }))
    .query(async ({ ctx, input }) => jobMovie(await ctx.db(), getSettings().mediaRoot, input.jobId)),
});
