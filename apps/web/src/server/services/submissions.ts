/**
 * Submissions of many jobs with depends between them (whole-shot DAGs), and imports of files
 * other farm managers write. Validated with the shared schema (errors name `jobs[2].layers[0].range`),
 * refused when a show does not exist (nothing stored), stored as one `submit_submission`
 * command and applied by the dispatcher, all or nothing.
 */
import { AppError, describeFieldErrors, type Submission, submissionSchema } from '@farmhand/contracts';
import { formatProblem, type ImportFormat, importFile } from '@farmhand/importers';
import type { Database } from '../db';
import { applyCommand } from '../dispatcherClient';

export interface SubmissionAnswer {
  commandId: number;
  status: 'PENDING' | 'APPLIED' | 'FAILED';
  message: string;
  jobIds: Record<string, string> | null;
}

export async function submitSubmission(
  ctx: { db: Database; dispatcherUrl: string; user: string },
  input: unknown,
): Promise<SubmissionAnswer> {
  const sub = submissionSchema.parse(input);
  const names = [...new Set(sub.jobs.map((j) => j.show))];
  const shows = await ctx.db.prisma.show.findMany({ where: { name: { in: names } }, select: { name: true } });
  const known = new Set(shows.map((s) => s.name));
  const fields = sub.jobs.flatMap((j, i) =>
    known.has(j.show) ? [] : [{ path: `jobs[${i}].show`, message: `there is no show named '${j.show}'` }],
  );
  if (fields.length > 0) throw new AppError('VALIDATION', describeFieldErrors(fields.slice(0, 10)), fields);
  const row = await ctx.db.prisma.command.create({
    data: { user: ctx.user, kind: 'submit_submission', targetType: 'show', targetId: sub.jobs[0]?.show ?? '', args: JSON.stringify(sub) },
    select: { id: true },
  });
  const answer = await applyCommand(ctx.dispatcherUrl, row.id);
  if (!answer.reached)
    return {
      commandId: row.id,
      status: 'PENDING',
      jobIds: null,
      message: `Submission ${row.id} is stored and queued: the dispatcher is not reachable (${answer.reason}). It will be applied when the dispatcher runs.`,
    };
  const { status, outcome } = answer.result;
  if (status === 'FAILED') {
    const code = outcome?.code === 'NOT_FOUND' || outcome?.code === 'VALIDATION' ? outcome.code : 'CONFLICT';
    const f = Array.isArray(outcome?.fields) ? (outcome.fields as { path: string; message: string }[]) : [];
    throw new AppError(code, typeof outcome?.message === 'string' ? outcome.message : 'The dispatcher refused the submission', f);
  }
  const jobIds = outcome && typeof outcome.jobIds === 'object' ? (outcome.jobIds as Record<string, string>) : null;
  return {
    commandId: row.id,
    status,
    jobIds,
    message: status === 'APPLIED' ? `Submission ${row.id} applied: ${sub.jobs.length} jobs` : `Submission ${row.id} is queued`,
  };
}

/** A file's text in any supported format → a submission, or a VALIDATION error listing every problem by line. */
export function importToSubmission(
  text: string,
  options: { format?: ImportFormat; fileName?: string; show?: string; user?: string; parameters?: Record<string, string> },
): { submission: Submission; warnings: string[] } {
  const result = importFile(text, options);
  if (!result.ok)
    throw new AppError(
      'VALIDATION',
      result.errors.map(formatProblem).join('\n'),
      result.errors.map((e) => ({ path: `${e.file}:${e.line} ${e.construct}`, message: e.message })),
    );
  return { submission: result.submission, warnings: result.warnings.map(formatProblem) };
}
