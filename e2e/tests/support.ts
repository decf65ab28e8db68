/**
 * What the role journeys share: waiting for the local host, and submitting a job over REST
 * (the journeys are about what the wrangler, producer or artist sees, not the submit form).
 */
import { type APIRequestContext, expect, type Page } from '@playwright/test';

export const screenshots = 'screenshots';

export async function waitForHost(page: Page): Promise<void> {
  await expect
    .poll(async () => (await (await page.request.get('/api/health')).json()).hostsUp, {
      message: 'the local rqd registers',
      timeout: 60_000,
    })
    .toBeGreaterThan(0);
}

export interface LayerInput {
  name: string;
  command: string;
  range: string;
  memoryMb?: number;
}

export async function submitJob(
  request: APIRequestContext,
  job: { name: string; shot?: string; user?: string; maxRetries?: number; layers: LayerInput[] },
): Promise<string> {
  const response = await request.post('/api/v1/jobs', {
    data: { show: 'sandbox', user: 'e2e', shot: '', maxRetries: 0, ...job },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

export async function waitForJobState(request: APIRequestContext, id: string, state: string): Promise<void> {
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/jobs/${id}`)).json()) as { state: string }).state, { timeout: 60_000 })
    .toBe(state);
}
