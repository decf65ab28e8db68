/**
 * A show's error patterns and a user's log alerts, as people use them: a wrangler sets the
 * show's patterns and "jump to first error" follows them; a bad pattern is refused by name; a
 * user adds an alert rule, a line of their job matches, the bell shows it and its link opens the
 * frame's log at that line.
 */
import { expect, test } from '@playwright/test';
import { screenshots, waitForHost, waitForJobState } from './support';

test('show error patterns drive "first error"; an alert rule notifies in the bell and links to the line', async ({ page }) => {
  test.setTimeout(180_000);
  await waitForHost(page);
  // The show's settings: the defaults until set; a bad regex refused by name; saved patterns kept.
  await page.goto('/shows/sandbox');
  await expect(page.getByTestId('error-patterns-state')).toHaveText('the defaults apply');
  await expect(page.getByTestId('error-patterns')).toHaveValue(/Traceback/);
  // Alert rules are the signed-in user's (local mode: the top bar's user), and so must the job be.
  const user =
    (await page
      .getByTestId('current-user')
      .inputValue()
      .catch(() => '')) || 'root';
  await page.getByTestId('error-patterns').fill('FATAL\nunclosed (');
  await page.getByTestId('error-patterns-save').click();
  await expect(page.getByTestId('error-patterns-error')).toContainText("'unclosed (' is not a valid regular expression");
  await page.getByTestId('error-patterns').fill('FATAL\nlicense .* not available');
  await page.getByTestId('error-patterns-save').click();
  await expect(page.getByTestId('error-patterns-state')).toHaveText('2 patterns of this show');
  await page.screenshot({ path: `${screenshots}/show-error-patterns.png`, fullPage: true });

  try {
    // An alert rule of mine, then a job of mine whose log has an "error" (not this show's) and a FATAL line.
    await page.goto('/alerts');
    await page.getByTestId('alert-pattern').fill('texture .* missing');
    await page.getByTestId('alert-add').click();
    await expect(page.getByTestId('alert-rules')).toContainText('/texture .* missing/');
    await page.screenshot({ path: `${screenshots}/alert-rules.png`, fullPage: true });
    const submitted = await page.request.post('/api/v1/jobs', {
      data: {
        name: 'e2e-log-rules',
        show: 'sandbox',
        user,
        maxRetries: 0,
        layers: [
          {
            name: 'render',
            // The dispatcher reads alert rules every 2 s: the frame starts printing after that.
            command:
              'sleep 3; echo "error: a word this show does not look for"; for i in 1 2 3; do echo "texture wood.tx missing ($i)"; done; echo "FATAL: disk full"; echo done',
            range: '1',
            memoryMb: 64,
          },
        ],
      },
    });
    expect(submitted.status(), await submitted.text()).toBe(201);
    const id = ((await submitted.json()) as { id: string }).id;
    await waitForJobState(page.request, id, 'SUCCEEDED');

    // First error follows the show's patterns: the FATAL line, not the "error" one.
    await page.goto(`/jobs/${id}`);
    await page.locator('[data-frame-number="1"]').first().click();
    const log = page.getByTestId('log-text');
    await expect(log).toContainText('FATAL: disk full');
    await page.getByTestId('log-first-error').click();
    await expect(log.locator('[data-selected]')).toContainText('FATAL: disk full');

    // One notification for the three matching lines, linking to the first one (opened from another page).
    await page.goto('/alerts');
    await expect(page.getByTestId('notification-count')).toBeVisible({ timeout: 15_000 });
    await page.getByTestId('notification-bell').click();
    const item = page.getByTestId('notification-item').filter({ hasText: 'texture wood.tx missing (1)' });
    await expect(item).toHaveCount(1);
    await expect(page.getByTestId('notification-item').filter({ hasText: 'texture wood.tx missing (2)' })).toHaveCount(0);
    await page.screenshot({ path: `${screenshots}/log-alert-notification.png`, fullPage: true });
    await item.locator('a').first().click();
    await expect(page).toHaveURL(/line=\d+/);
    await expect(page.getByTestId('log-text').locator('[data-selected]')).toContainText('texture wood.tx missing (1)');
  } finally {
    // Other journeys on this stack expect the default patterns.
    await page.goto('/shows/sandbox');
    await page.getByRole('button', { name: 'Back to the defaults' }).click();
    await expect(page.getByTestId('error-patterns-state')).toHaveText('the defaults apply');
  }
});
