/**
 * The page each role starts from when they have composed none: what that person looks at
 * first thing in the morning. An artist watches their own jobs; a wrangler the problems, the
 * jobs and the hosts; production the core-hours and everyone's jobs.
 */
import type { PageLayout } from '@farmhand/contracts';

export type PageRole = 'artist' | 'wrangler' | 'production';

const DEFAULTS: Record<PageRole, { name: string; layout: PageLayout }> = {
  artist: {
    name: 'My renders',
    layout: {
      version: 1,
      panels: [
        { id: 'jobs', type: 'jobs', title: 'My jobs', mine: true, x: 0, y: 0, w: 12, h: 9 },
        { id: 'problems', type: 'problems', x: 0, y: 9, w: 6, h: 9 },
        { id: 'hours', type: 'coreHours', days: 14, x: 6, y: 9, w: 6, h: 9 },
      ],
    },
  },
  wrangler: {
    name: 'Farm at a glance',
    layout: {
      version: 1,
      panels: [
        { id: 'problems', type: 'problems', x: 0, y: 0, w: 5, h: 12 },
        { id: 'jobs', type: 'jobs', x: 5, y: 0, w: 7, h: 12 },
        { id: 'hosts', type: 'hosts', x: 0, y: 12, w: 12, h: 9 },
      ],
    },
  },
  production: {
    name: 'Shows',
    layout: {
      version: 1,
      panels: [
        { id: 'hours', type: 'coreHours', days: 30, x: 0, y: 0, w: 12, h: 10 },
        { id: 'jobs', type: 'jobs', x: 0, y: 10, w: 12, h: 10 },
      ],
    },
  },
};

export function defaultPage(role: PageRole): { name: string; layout: PageLayout } {
  return structuredClone(DEFAULTS[role]);
}
