/**
 * The Foundation slice as an artist does it, in Chromium against the whole farm that
 * `npm start` runs: submit a render from the browser, watch its frames finish live, read a
 * frame's log, see a failing frame end DEAD after its retries, retry it; and the form refusing
 * bad input without storing anything.
 */
import { expect, type Page, test } from '@playwright/test';

const screenshots = 'screenshots';

async function waitForHost(page: Page) {
  await expect
    .poll(async () => (await (await page.request.get('/api/health')).json()).hostsUp, {
      message: 'the local rqd registers',
      timeout: 60_000,
    })
    .toBeGreaterThan(0);
}

async function submit(page: Page, fields: { name: string; command: string; range: string; maxRetries?: string }) {
  await page.goto('/submit');
  await page.getByLabel('Job name').fill(fields.name);
  await page.getByLabel('User', { exact: true }).fill('alice');
  await page.getByTestId('submit-command').fill(fields.command);
  await page.getByLabel('Frame range').fill(fields.range);
  if (fields.maxRetries) await page.getByLabel('Max retries').fill(fields.maxRetries);
  await page.getByTestId('submit-job').click();
  await page.waitForURL(/\/jobs\/[\w-]+$/);
  await expect(page.getByTestId('job-name')).toHaveText(fields.name);
}

/** A frame's row in the frames grid, found as a screen reader would: by its accessible name. */
function frameRow(page: Page, number: number) {
  return page.getByRole('row', { name: new RegExp(`Open the log of frame ${number} of layer`) });
}

test('an artist submits a render, watches its frames finish live and reads a frame log', async ({ page }) => {
  await waitForHost(page);
  await submit(page, { name: 'e2e-hello', command: 'echo rendering frame #FRAME#; sleep 1', range: '1-5' });

  // Frames go from WAITING through RUNNING to SUCCEEDED without a reload: the live feed.
  await expect(page.getByTestId('job-state')).toHaveText(/SUCCEEDED/, { timeout: 60_000 });
  for (const n of [1, 2, 3, 4, 5]) await expect(frameRow(page, n)).toContainText('SUCCEEDED');
  await page.screenshot({ path: `${screenshots}/job-succeeded.png`, fullPage: true });

  await page.locator('[data-frame-number="3"]').click();
  await expect(page.getByTestId('log-panel')).toBeVisible();
  await expect(page.getByTestId('log-text')).toContainText('rendering frame 3');
  await page.screenshot({ path: `${screenshots}/frame-log.png`, fullPage: true });

  await page.goto('/');
  await expect(page.getByRole('link', { name: 'e2e-hello' }).first()).toBeVisible();
  await page.screenshot({ path: `${screenshots}/my-jobs.png`, fullPage: true });
});

test('a failing frame ends DEAD after its retries, and the artist retries it', async ({ page }) => {
  await waitForHost(page);
  await submit(page, { name: 'e2e-failing', command: 'echo about to fail on #FRAME#; exit 3', range: '7', maxRetries: '1' });

  await expect(frameRow(page, 7)).toContainText('DEAD', { timeout: 60_000 });
  await expect(page.getByTestId('job-state')).toHaveText(/FAILED/);
  // Retries 1, attempts 2: the first run and one retry.
  await expect(page.getByRole('row', { name: /frame 7 of layer render DEAD 1 2 / })).toBeVisible();

  await page.getByTestId('job-retry-dead').click();
  // The retry runs the frame twice more (retries reset), and it fails again: four attempts.
  await page.locator('[data-frame-number="7"]').click();
  await expect(page.getByTestId('attempt-4')).toBeVisible({ timeout: 60_000 });
  await expect(frameRow(page, 7)).toContainText('DEAD');
  await expect(page.getByTestId('log-text')).toContainText('about to fail on 7');
  await page.screenshot({ path: `${screenshots}/dead-frame-retried.png`, fullPage: true });
});

test('the submit form refuses a bad frame range and an empty command by their fields, and stores nothing', async ({ page }) => {
  await page.goto('/submit');
  await page.getByLabel('Job name').fill('e2e-bad');
  await page.getByTestId('submit-command').fill('');
  await page.getByLabel('Frame range').fill('1-10x0');
  await page.getByTestId('submit-job').click();
  await expect(page.getByTestId('error-range')).toContainText('the step after x must be a positive integer');
  await expect(page.getByTestId('error-command')).toContainText('required');
  await page.screenshot({ path: `${screenshots}/submit-errors.png`, fullPage: true });
  await expect(page).toHaveURL(/\/submit$/);
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'e2e-hello' }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'e2e-bad' })).toHaveCount(0);
});

test('scripts submit the minimal job spec over REST and read the job back with its frames', async ({ request }) => {
  const spec = {
    name: 'hello',
    show: 'sandbox',
    shot: 'sh010',
    user: 'alice',
    maxRetries: 1,
    layers: [{ name: 'render', command: 'echo frame #FRAME#', range: '1-5', chunk: 1, cores: 1, memoryMb: 256 }],
  };
  const created = await request.post('/api/v1/jobs', { data: spec });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/jobs/${id}`)).json()) as { state: string }).state, { timeout: 60_000 })
    .toBe('SUCCEEDED');
  const job = (await (await request.get(`/api/v1/jobs/${id}`)).json()) as {
    layers: unknown[];
    frames: { id: number; number: number; state: string }[];
  };
  expect(job.layers).toHaveLength(1);
  expect(job.frames.map((f) => [f.number, f.state])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 'SUCCEEDED']));

  const refused = await request.post('/api/v1/jobs', { data: { ...spec, show: 'no-such-show' } });
  expect(refused.status()).toBe(400);
  const error = ((await refused.json()) as { error: { fields: { path: string; message: string }[] } }).error;
  expect(error.fields).toContainEqual({ path: 'show', message: expect.stringContaining("'no-such-show'") });
});
