/**
 * The producer's journey: open /production and find a show's shots by sequence with frames
 * done and failing, and the core-hours chart.
 */
import { expect, test } from '@playwright/test';
import { screenshots, submitJob, waitForHost, waitForJobState } from './support';

test('a producer opens a show’s shot progress by sequence and sees frames done and failing', async ({ page }) => {
  await waitForHost(page);
  const ok = await submitJob(page.request, {
    name: 'e2e-prod-ok',
    shot: 'sq030_sh040',
    layers: [{ name: 'render', command: 'echo #FRAME#', range: '1-3' }],
  });
  const bad = await submitJob(page.request, {
    name: 'e2e-prod-bad',
    shot: 'sq030_sh050',
    layers: [{ name: 'render', command: 'exit 2', range: '1-2' }],
  });
  await waitForJobState(page.request, ok, 'SUCCEEDED');
  await waitForJobState(page.request, bad, 'FAILED');

  await page.goto('/production');
  await page.getByTestId('production-show').selectOption('sandbox');
  await expect(page.getByTestId('prod-seq-sandbox-sq030')).toBeVisible();
  await expect(page.getByTestId('prod-shot-sandbox-sq030_sh040')).toContainText('3 / 3');
  const failing = page.getByTestId('prod-shot-sandbox-sq030_sh050');
  await expect(failing).toContainText('0 / 2');
  await expect(failing.locator('td').nth(4)).toHaveText('2');
  // Finished frames charge core-hours to the show for today.
  await expect(page.getByTestId('core-hours-chart')).toBeVisible();
  await page.screenshot({ path: `${screenshots}/production-progress.png`, fullPage: true });

  // Closing the sequence hides its shots.
  await page.getByRole('button', { name: 'Close sequence sq030' }).click();
  await expect(page.getByTestId('prod-shot-sandbox-sq030_sh040')).toHaveCount(0);
});
