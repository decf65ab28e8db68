/**
 * The frame movie: where a render layer writes its images, what the preview layer makes of
 * each (a web image, a black/empty check, HLS segments), and what a preview frame reports.
 * Media paths are always relative to the configured media root; `mediaPathError` is the lexical
 * half of the check (no absolute paths, no `..`), the apps add the symlink half (realpath).
 */
import { z } from 'zod';

export const MEDIA_STATUSES = ['PENDING', 'READY', 'BLACK', 'MISSING', 'ERROR'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

/** Frames per HLS segment: half a second at 24 fps, so the movie grows in small steps as frames finish. */
export const PREVIEW_SEGMENT_FRAMES = 12;
/** The frame rate previews play at. */
export const PREVIEW_FPS = 24;
/** Web images are at most this wide (JPEG); smaller images keep their size. */
export const PREVIEW_MAX_WIDTH = 1280;
/** Mean luma (0–255) under which a frame is black; a luma spread under FLAT_STDDEV makes it empty (one flat colour). */
export const BLACK_MEAN_LUMA = 4;
export const FLAT_STDDEV = 0.5;

/** The line a preview frame prints last; the dispatcher stores it as the frame's MediaFrame row. */
export const MEDIA_RESULT_PREFIX = 'farmhand-media ';

export const mediaResultSchema = z.object({
  /** The render layer whose frame this is. */
  layerId: z.string().min(1),
  number: z.number().int(),
  status: z.enum(MEDIA_STATUSES),
  reason: z.string().nullable(),
  /** The web image, relative to the media root. */
  image: z.string().nullable(),
  meanLuma: z.number().nullable(),
});
export type MediaResult = z.infer<typeof mediaResultSchema>;

/** Why a media path may not be used, or null: it must be relative, with no `..`, no NUL, no backslash tricks. */
export function mediaPathError(rel: string): string | null {
  if (rel.trim() === '') return 'is empty';
  if (rel.includes('\0')) return 'contains a NUL character';
  if (rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel) || rel.startsWith('\\'))
    return `'${rel}' is absolute: give a path relative to the media root`;
  if (rel.split(/[\\/]/).includes('..')) return `'${rel}' contains '..': paths may not leave the media root`;
  return null;
}

const PADDING = /#+|%0?(\d*)d/;

/** Why an output path pattern cannot be previewed, or null. */
export function outputPathError(pattern: string): string | null {
  const path = mediaPathError(pattern);
  if (path) return path;
  if (!PADDING.test(pattern)) return `'${pattern}' has no frame number: use '#' padding (e.g. beauty.####.png) or '%04d'`;
  return null;
}

export const outputPathSchema = z
  .string()
  .trim()
  .max(1000)
  .superRefine((value, ctx) => {
    const error = outputPathError(value);
    if (error) ctx.addIssue({ code: 'custom', message: error });
  });

/**
 * The file of one frame: each `#` is one digit (`####` → 0007, `#` → 7) and `%04d` is printf's,
 * as Nuke and most renderers name sequences. Negative frames keep their sign before the padding.
 */
export function framePath(pattern: string, frame: number): string {
  return pattern.replace(PADDING, (whole, width: string | undefined) => {
    const digits = whole.startsWith('#') ? whole.length : Number(width || 1);
    const n = String(Math.abs(frame)).padStart(digits, '0');
    return frame < 0 ? `-${n}` : n;
  });
}

/** The preview folder of a render layer, relative to the media root. */
export function previewDir(jobId: string, layerId: string): string {
  return `previews/${jobId}/${layerId}`;
}

/** Names inside a preview folder. */
export const previewFiles = {
  playlist: 'index.m3u8',
  image: (frame: number) => `frames/${framePath('#####', frame)}.jpg`,
  result: (frame: number) => `frames/${framePath('#####', frame)}.json`,
  segment: (index: number) => `seg${framePath('#####', index)}.ts`,
};

/** The name of the preview layer added for a render layer. */
export function previewLayerName(renderLayer: string): string {
  return `${renderLayer}.preview`.slice(0, 128);
}
