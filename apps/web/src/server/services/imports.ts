/**
 * The submit page's drop zone: a dropped file (OpenJD template, DAGMan .dag, OpenCue XML, a
 * Farmhand JSON or YAML spec) is read by packages/importers into a submission and answered as
 * a preview — its jobs, layers, frame counts and depends — or as every problem by line. Nothing
 * is stored until the previewed submission is submitted (submissions.ts: all or nothing). A
 * DAG dropped together with its submit files reads them from the drop.
 */
import { parseFrameRange, type Submission } from '@farmhand/contracts';
import { type ImportFormat, type ImportProblem, importFile } from '@farmhand/importers';
import type { Database } from '../db';

export interface ImportPreviewInput {
  text: string;
  fileName: string;
  format?: ImportFormat;
  /** For formats that do not name them (DAGMan, OpenJD): the page's show and user. */
  show?: string;
  user?: string;
  /** Files dropped with it that it refers to (a DAG's submit files and splices), by name. */
  others?: { name: string; text: string }[];
}

export interface PreviewLayer {
  name: string;
  range: string;
  chunk: number;
  frames: number;
  command: string;
  dependsOn: string[];
}

export interface PreviewJob {
  name: string;
  show: string;
  shot: string;
  user: string;
  layers: PreviewLayer[];
}

export type ImportPreview =
  | { ok: true; submission: Submission; jobs: PreviewJob[]; depends: Submission['depends']; frames: number; warnings: ImportProblem[] }
  | { ok: false; errors: ImportProblem[]; warnings: ImportProblem[] };

export async function previewImport(db: Database, input: ImportPreviewInput): Promise<ImportPreview> {
  const result = importFile(input.text, {
    fileName: input.fileName,
    ...(input.format ? { format: input.format } : {}),
    ...(input.show ? { show: input.show } : {}),
    ...(input.user ? { user: input.user } : {}),
    readFile: (relative) => {
      // Dropped files have no folders: a path the DAG names is looked up by its last part too.
      const base = relative.split('/').at(-1);
      return input.others?.find((f) => f.name === relative || f.name === base)?.text ?? null;
    },
  });
  if (!result.ok) return { ok: false, errors: result.errors, warnings: result.warnings };
  const { submission } = result;
  // A show the farm does not have would refuse the whole submission: say so now, by job.
  const names = [...new Set(submission.jobs.map((j) => j.show))];
  const known = new Set((await db.prisma.show.findMany({ where: { name: { in: names } }, select: { name: true } })).map((s) => s.name));
  const missing = submission.jobs
    .map((j, i) => ({ j, i }))
    .filter(({ j }) => !known.has(j.show))
    .map(({ j, i }) => ({ file: input.fileName, line: 0, construct: `jobs[${i}].show`, message: `there is no show named '${j.show}'` }));
  if (missing.length > 0) return { ok: false, errors: missing, warnings: result.warnings };
  const jobs = submission.jobs.map((j) => ({
    name: j.name,
    show: j.show,
    shot: j.shot,
    user: j.user,
    layers: j.layers.map((l) => ({
      name: l.name,
      range: l.range,
      chunk: l.chunk,
      frames: parseFrameRange(l.range).length,
      command: l.command,
      dependsOn: l.dependsOn,
    })),
  }));
  const frames = jobs.reduce((n, j) => n + j.layers.reduce((m, l) => m + l.frames, 0), 0);
  return { ok: true, submission, jobs, depends: submission.depends, frames, warnings: result.warnings };
}
