/**
 * The preview pipeline on a real farm (the dispatcher in process, a real rqd, Debian's ffmpeg;
 * SQLite, and PostgreSQL when it answers): a render layer with an output path gets a preview
 * layer that waits frame by frame on it; each finished frame gets a web image and a verdict
 * (READY, BLACK for a black frame, MISSING when the renderer wrote nothing), stored as MediaFrame
 * rows and shown on the frame's row; the HLS event playlist covers the whole shot once every
 * segment is encoded. Media files are served from under the media root only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError, loadSettings, PREVIEW_SEGMENT_FRAMES, previewDir, previewLayerName } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authConfigFrom } from '../src/server/auth/config';
import { mediaJob, mediaResponse, resolveMediaFile, serveMedia } from '../src/server/mediaFiles';
import { submitJob } from '../src/server/services/commands';
import { getJob } from '../src/server/services/jobs';
import { jobMovie } from '../src/server/services/media';
import { startWebFarm, type WebFarm } from './support/farm';

const FRAMES = 14; // two segments: one full, one of 2 frames
const BLACK = 5;
const NOTHING = 7;

/** Renders frame N with ffmpeg's test source into `<media root>/<dir>`; frame 5 black; frame 7 writes nothing. */
const render = (dir: string) =>
  [
    `mkdir -p "$FARMHAND_MEDIA_ROOT/${dir}"`,
    `if [ #FRAME# = ${NOTHING} ]; then echo "forgot to write"; exit 0; fi`,
    `if [ #FRAME# = ${BLACK} ]; then src=color=black:s=320x180; else src=testsrc2=s=320x180; fi`,
    `ffmpeg -v error -nostdin -y -f lavfi -i "$src" -frames:v 1 "$FARMHAND_MEDIA_ROOT/${dir}/beauty.#ZFRAME#.png"`,
  ].join('; ');

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(testProviders())('frame previews on %s', (provider) => {
  let farm: WebFarm;
  let mediaRoot: string;
  let jobId: string;

  beforeAll(async () => {
    farm = await startWebFarm(provider);
    mediaRoot = path.join(path.dirname(farm.logRoot), 'media');
    // rqd passes its environment to frames: the render command and farmhand-preview find the root there.
    process.env.FARMHAND_MEDIA_ROOT = mediaRoot;
    farm.startRqd('previewhost');
    const answer = await submitJob(
      { db: farm.db, dispatcherUrl: farm.deps.dispatcherUrl },
      {
        name: 'shot-preview',
        show: 'sandbox',
        user: os.userInfo().username,
        maxRetries: 0,
        layers: [
          {
            name: 'beauty',
            command: render(`renders/${provider}`),
            range: `1-${FRAMES}`,
            memoryMb: 64,
            outputPath: `renders/${provider}/beauty.####.png`,
          },
        ],
      },
    );
    jobId = answer.jobId as string;
  }, 60_000);
  afterAll(async () => {
    delete process.env.FARMHAND_MEDIA_ROOT;
    await farm?.stop();
  });

  it('adds a preview layer that waits frame by frame on the render layer', async () => {
    const { layers } = await getJob(farm.db, jobId);
    expect(layers.map((l) => [l.name, l.type])).toEqual([
      ['beauty', 'RENDER'],
      [previewLayerName('beauty'), 'PREVIEW'],
    ]);
    const depend = await farm.db.prisma.depend.findFirstOrThrow({ where: { dependerJobId: jobId } });
    expect(depend).toMatchObject({ type: 'FRAME_BY_FRAME', dependerLayerId: layers[1]?.id, onLayerId: layers[0]?.id });
    // The stored spec is the one submitted: resubmitting it adds the preview again rather than twice.
    const job = await farm.db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect((JSON.parse(job.spec) as { layers: unknown[] }).layers).toHaveLength(1);
  });

  it('makes an image and a verdict per frame, flags the black and the missing one, and encodes the whole shot', async () => {
    await farm.waitForJob(jobId, (j) => j.counts.SUCCEEDED === FRAMES * 2 || j.counts.DEAD > 0, 110_000);
    await farm.dispatcher.logWatch.settled();
    const [movie] = await jobMovie(farm.db, mediaRoot, jobId);
    expect(movie?.frames.map((f) => f.number)).toEqual(Array.from({ length: FRAMES }, (_, i) => i + 1));
    const byNumber = new Map(movie?.frames.map((f) => [f.number, f]));
    expect(byNumber.get(BLACK)).toMatchObject({ status: 'BLACK', state: 'SUCCEEDED' });
    expect(byNumber.get(BLACK)?.meanLuma).toBeLessThan(4);
    expect(byNumber.get(NOTHING)).toMatchObject({ status: 'MISSING', image: null });
    expect(byNumber.get(NOTHING)?.reason).toContain(`beauty.000${NOTHING}.png`);
    const ready = movie?.frames.filter((f) => f.status === 'READY') ?? [];
    expect(ready).toHaveLength(FRAMES - 2);
    expect(ready[0]?.meanLuma).toBeGreaterThan(40);

    // The web image is a JPEG of the frame's size, served from the media root.
    const image = await mediaResponse(mediaRoot, decodeURIComponent((ready[0]?.image ?? '').replace('/api/media/', '')));
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);

    // The playlist: an EVENT playlist of every segment, closed now that the shot is complete.
    expect(movie?.playlist).toMatch(/index\.m3u8$/);
    const playlist = await (await mediaResponse(mediaRoot, decodeURIComponent((movie?.playlist ?? '').replace('/api/media/', '')))).text();
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(playlist.match(/^seg\d+\.ts$/gm)).toHaveLength(Math.ceil(FRAMES / PREVIEW_SEGMENT_FRAMES));
    expect(playlist.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);

    // The frame's row in the grid carries the flag.
    const { frames } = await getJob(farm.db, jobId);
    const flagged = frames.filter((f) => f.media).map((f) => [f.layerName, f.number, f.media?.status]);
    expect(flagged).toEqual([
      ['beauty', BLACK, 'BLACK'],
      ['beauty', NOTHING, 'MISSING'],
    ]);
  }, 120_000);

  it('serves only previews, to readers of their job: nobody signed in is refused', async () => {
    const { layers } = await getJob(farm.db, jobId);
    const rel = `${previewDir(jobId, layers[0]?.id ?? '')}/index.m3u8`;
    expect(mediaJob(rel)).toBe(jobId);
    expect((await refusal(Promise.resolve().then(() => mediaJob('renders/sandbox/beauty.0001.png')))).code).toBe('FORBIDDEN');
    const req = new Request(`http://web.test/api/media/${rel}`);
    const local = { ...farm.deps, auth: authConfigFrom(loadSettings({ FARMHAND_DATA_DIR: path.dirname(farm.logRoot) })) };
    const served = await serveMedia(local, req, mediaRoot, rel);
    expect(served.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const required = {
      ...farm.deps,
      auth: authConfigFrom(loadSettings({ FARMHAND_DATA_DIR: path.dirname(farm.logRoot), FARMHAND_AUTH: 'required' })),
    };
    expect((await refusal(serveMedia(required, req, mediaRoot, rel))).code).toBe('UNAUTHORIZED');
  });

  it('serves media only from under the media root: no .., no absolute path, no symlink out', async () => {
    fs.mkdirSync(path.join(mediaRoot, 'safe'), { recursive: true });
    fs.writeFileSync(path.join(mediaRoot, 'safe', 'ok.jpg'), 'x');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.jpg'), 'secret');
    fs.symlinkSync(outside, path.join(mediaRoot, 'safe', 'escape'));
    fs.symlinkSync(path.join(mediaRoot, 'safe'), path.join(mediaRoot, 'inside'));
    try {
      expect(await resolveMediaFile(mediaRoot, 'safe/ok.jpg')).toBe(fs.realpathSync(path.join(mediaRoot, 'safe/ok.jpg')));
      expect(await resolveMediaFile(mediaRoot, 'inside/ok.jpg')).toBe(fs.realpathSync(path.join(mediaRoot, 'safe/ok.jpg')));
      expect((await refusal(resolveMediaFile(mediaRoot, '../logs/x.log'))).message).toContain("contains '..'");
      expect((await refusal(resolveMediaFile(mediaRoot, 'safe/../../x'))).message).toContain("contains '..'");
      expect((await refusal(resolveMediaFile(mediaRoot, '/etc/passwd'))).message).toContain('is absolute');
      expect((await refusal(resolveMediaFile(mediaRoot, 'safe/escape/secret.jpg'))).message).toContain('outside the media root');
      expect((await refusal(resolveMediaFile(mediaRoot, 'safe/none.jpg'))).code).toBe('NOT_FOUND');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
