/**
 * The frame movie: 48 frames of 320×180 rendered through the farm with ffmpeg's test source
 * (frame 24 deliberately black, frame 30 failing until it is retried), previewed by the preview
 * layer on the farm, and played on the job page: the player reaches the last frame, stepping
 * moves exactly one frame (also in the HLS movie), the black frame is flagged in the player and
 * on its row, and the failed frame shows its placeholder (opening its log), then its image once
 * retried.
 */
import { expect, type Page, test } from '@playwright/test';
import { screenshots, waitForHost } from './support';

const FRAMES = 48;
const BLACK = 24;
const FAILS = 30;
const out = `renders/e2e-movie-${Date.now()}`;

// Each frame: ffmpeg's moving test picture at that frame; 24 black; 30 fails on its first attempt.
const command = [
  `dir="$FARMHAND_MEDIA_ROOT/${out}"`,
  'mkdir -p "$dir"',
  `if [ #FRAME# = ${FAILS} ] && [ ! -f "$dir/.failed-once" ]; then touch "$dir/.failed-once"; echo "renderer crashed" >&2; exit 3; fi`,
  `if [ #FRAME# = ${BLACK} ]; then src="color=black:s=320x180"; else src="testsrc2=s=320x180:r=24"; fi`,
  'ffmpeg -v error -nostdin -y -f lavfi -i "$src" -vf "select=gte(n\\,#FRAME#)" -frames:v 1 "$dir/beauty.#ZFRAME#.png"',
].join('; ');

interface JobCounts {
  state: string;
  counts: Record<string, number>;
}

async function counts(page: Page, id: string): Promise<JobCounts> {
  return (await (await page.request.get(`/api/v1/jobs/${id}`)).json()) as JobCounts;
}

const player = (page: Page) => page.getByTestId('movie-player');

async function goTo(page: Page, frame: number): Promise<void> {
  await page.getByTestId('movie-scrub').fill(String(frame - 1));
  await expect(player(page)).toHaveAttribute('data-frame', String(frame));
}

test('a shot renders, previews and plays: last frame, one-frame steps, black flag, placeholder then image after retry', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await waitForHost(page);
  const submitted = await page.request.post('/api/v1/jobs', {
    data: {
      name: 'e2e-movie',
      show: 'sandbox',
      user: 'e2e',
      shot: 'sh010',
      maxRetries: 0,
      layers: [{ name: 'beauty', command, range: `1-${FRAMES}`, memoryMb: 128, outputPath: `${out}/beauty.####.png` }],
    },
  });
  expect(submitted.status(), await submitted.text()).toBe(201);
  const id = ((await submitted.json()) as { id: string }).id;

  // The job page is open while the shot renders: the movie and the flags arrive live.
  await page.goto(`/jobs/${id}`);
  await expect(page.getByTestId('movie-panel')).toBeVisible();

  // Every frame but 30 renders and is previewed; 30 is DEAD and its preview waits on it.
  await expect
    .poll(async () => (await counts(page, id)).counts, { timeout: 200_000, intervals: [2000] })
    .toMatchObject({ SUCCEEDED: 2 * FRAMES - 2, DEAD: 1, DEPEND: 1 });

  await expect(player(page)).toHaveAttribute('data-frame', '1');
  const hlsPlays = await page.evaluate(() => 'MediaSource' in window && MediaSource.isTypeSupported('video/mp4; codecs="avc1.64000d"'));
  if (hlsPlays) {
    // Segments of 12 frames: 1–24 are in the movie; 25–36 wait for frame 30, so the playlist stops at 24.
    await expect(player(page)).toHaveAttribute('data-movie-frames', '24', { timeout: 15_000 });
  }

  // The failed frame: a placeholder with its state, which opens its log.
  await goTo(page, FAILS);
  const placeholder = page.getByTestId('movie-placeholder');
  await expect(placeholder).toHaveAttribute('data-state', 'DEAD');
  await expect(placeholder).toContainText(`frame ${FAILS}`);
  await page.screenshot({ path: `${screenshots}/movie-placeholder.png`, fullPage: true });
  await placeholder.click();
  await expect(page.getByTestId('log-panel')).toContainText(`frame ${FAILS}`);
  await expect(page.getByTestId('log-text')).toContainText('renderer crashed');
  await page.getByTestId('log-close').click();

  // The black frame: flagged in the player and on its row of the frames grid.
  await goTo(page, BLACK);
  await expect(page.getByTestId('movie-flag')).toHaveText('BLACK');
  // The grid draws only the rows in view: scroll it until frame 24's row of the render layer shows.
  const rowFlag = page.locator(`[data-testid="frame-media-flag"][data-frame-number="${BLACK}"]`);
  await page.getByTestId('frames-grid').hover();
  for (let i = 0; i < 30 && (await rowFlag.count()) === 0; i++) {
    await page.mouse.wheel(0, 250);
    await page.waitForTimeout(100);
  }
  await expect(rowFlag).toContainText('black');
  await expect(rowFlag).toHaveAttribute('title', /black: mean luma/);

  // Stepping moves exactly one frame, by button and by key; in the movie the video shows that frame.
  await goTo(page, 10);
  await page.getByTestId('movie-next').click();
  await expect(player(page)).toHaveAttribute('data-frame', '11');
  await page.getByTestId('movie-next').press('ArrowRight');
  await expect(player(page)).toHaveAttribute('data-frame', '12');
  await page.getByTestId('movie-next').press('ArrowLeft');
  await expect(player(page)).toHaveAttribute('data-frame', '11');
  await expect(page.getByTestId('movie-frame-number')).toHaveText('11');
  if (hlsPlays) {
    await expect(player(page)).toHaveAttribute('data-view', 'video');
    // The video's own time is inside frame 11 (index 10) at 24 fps.
    await expect.poll(() => page.getByTestId('movie-video').evaluate((v: HTMLVideoElement) => Math.floor(v.currentTime * 24))).toBe(10);
  }
  await page.screenshot({ path: `${screenshots}/movie-step.png`, fullPage: true });

  // Playing from the start, without loop, reaches the last frame and stops there.
  await page.getByTestId('movie-loop').uncheck();
  await page.getByTestId('movie-speed').selectOption('2');
  await goTo(page, 1);
  await page.getByTestId('movie-play').click();
  await expect(player(page)).toHaveAttribute('data-frame', String(FRAMES), { timeout: 30_000 });
  await expect(page.getByTestId('movie-play')).toHaveText('Play');

  // Retrying the failed frame: it renders, its preview runs, and the movie shows it.
  const detail = (await (await page.request.get(`/api/v1/jobs/${id}`)).json()) as {
    frames: { id: number; number: number; state: string }[];
  };
  const dead = detail.frames.filter((f) => f.state === 'DEAD').map((f) => f.id);
  expect(dead).toHaveLength(1);
  const retried = await page.request.post(`/api/v1/jobs/${id}/retry`, { data: { frameIds: dead } });
  expect(retried.status(), await retried.text()).toBeLessThan(300);
  await expect.poll(async () => (await counts(page, id)).state, { timeout: 90_000, intervals: [1000] }).toBe('SUCCEEDED');
  await goTo(page, FAILS);
  await expect(player(page)).not.toHaveAttribute('data-view', 'placeholder', { timeout: 15_000 });
  if (hlsPlays) await expect(player(page)).toHaveAttribute('data-movie-frames', String(FRAMES), { timeout: 15_000 });
  await page.screenshot({ path: `${screenshots}/movie-after-retry.png`, fullPage: true });
});
