/**
 * Views a person keeps in the database (UserView rows): a grid's arrangement (`grid:<gridId>`:
 * columns, sort, filters, grouping) and pages composed from panels (`page`: which panels, where,
 * how big). The web validates every layout with these schemas on the way in and on the way
 * out, so a row written by an older version never reaches a page half-understood.
 */
import { z } from 'zod';

/** The grids whose arrangement is remembered; a grid's kind is `grid:<id>`. */
export const GRID_IDS = ['jobs', 'hosts', 'farm-jobs', 'farm-hosts', 'procs', 'frames'] as const;
export type GridId = (typeof GRID_IDS)[number];
export const gridIdSchema = z.enum(GRID_IDS);

export const PAGE_KIND = 'page';
export const gridViewKind = (grid: GridId) => `grid:${grid}`;

/**
 * A grid's arrangement: AG Grid's own `GridState` keys that describe a view (not selection,
 * scroll or focus). Their inner shape is AG Grid's and is passed back to it as it was given,
 * so only the outer keys are checked here; the size cap keeps a runaway client from storing
 * megabytes per grid.
 */
export const GRID_VIEW_KEYS = ['columnOrder', 'columnSizing', 'columnVisibility', 'columnPinning', 'sort', 'filter', 'rowGroup'] as const;
const gridPart = z.record(z.string(), z.unknown());
export const gridViewSchema = z
  .object({
    columnOrder: gridPart.optional(),
    columnSizing: gridPart.optional(),
    columnVisibility: gridPart.optional(),
    columnPinning: gridPart.optional(),
    sort: gridPart.optional(),
    filter: gridPart.optional(),
    rowGroup: gridPart.optional(),
  })
  .strip()
  .refine((v) => JSON.stringify(v).length <= 64_000, { message: 'A grid view is limited to 64 kB' });
export type GridView = z.infer<typeof gridViewSchema>;

/** What a composed page can hold. */
export const PANEL_TYPES = ['jobs', 'hosts', 'frames', 'log', 'movie', 'coreHours', 'problems'] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

export const PANEL_LABELS: Record<PanelType, string> = {
  jobs: 'Job list',
  hosts: 'Host list',
  frames: 'Frame grid',
  log: 'Log',
  movie: 'Movie',
  coreHours: 'Core-hours chart',
  problems: 'Problems',
};

/** The page grid: 12 columns, rows of 30 px. */
export const PAGE_COLUMNS = 12;
export const PAGE_ROW_PX = 30;

export const panelSchema = z
  .object({
    /** Stable within the page: the layout library's item key. */
    id: z
      .string()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9_-]+$/, 'A panel id is letters, digits, - and _'),
    type: z.enum(PANEL_TYPES),
    title: z.string().trim().max(80).optional(),
    x: z
      .number()
      .int()
      .min(0)
      .max(PAGE_COLUMNS - 1),
    y: z.number().int().min(0).max(1000),
    w: z.number().int().min(1).max(PAGE_COLUMNS),
    h: z.number().int().min(2).max(60),
    /** The job a frame grid, log or movie panel shows; only mine when absent for a job list. */
    jobId: z.string().min(1).max(64).optional(),
    /** The frame a log panel follows. */
    frameId: z.number().int().positive().optional(),
    /** Job list: only the viewer's own jobs. */
    mine: z.boolean().optional(),
    /** Core-hours chart: days back. */
    days: z.number().int().min(1).max(90).optional(),
  })
  .refine((p) => p.x + p.w <= PAGE_COLUMNS, { message: `A panel must fit in ${PAGE_COLUMNS} columns`, path: ['w'] });
export type Panel = z.infer<typeof panelSchema>;

export const pageLayoutSchema = z
  .object({
    version: z.literal(1).default(1),
    panels: z.array(panelSchema).max(24, 'A page holds at most 24 panels'),
  })
  .superRefine((layout, ctx) => {
    const seen = new Set<string>();
    layout.panels.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', message: `Panel id '${p.id}' is used twice`, path: ['panels', i, 'id'] });
      seen.add(p.id);
    });
  });
export type PageLayout = z.infer<typeof pageLayoutSchema>;

export const pageNameSchema = z.string().trim().min(1, 'Give the page a name').max(80, 'A page name is at most 80 characters');

export const savePageSchema = z.object({
  /** Absent: a new page. */
  id: z.string().min(1).optional(),
  name: pageNameSchema,
  layout: pageLayoutSchema,
  /** Others with the URL may open it (and save a copy). */
  shared: z.boolean().default(true),
});
export type SavePage = z.infer<typeof savePageSchema>;

/** A page as the browser gets it. */
export interface PageView {
  id: string;
  user: string;
  name: string;
  layout: PageLayout;
  shared: boolean;
  updatedAt: string;
  /** The viewer owns it (may save over it). */
  mine: boolean;
}
