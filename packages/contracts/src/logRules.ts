/**
 * What users say about log lines: a show's error patterns ("jump to first error") and a user's
 * alert rules ("tell me when a line of my jobs matches"). Patterns are JavaScript regexes,
 * matched case-insensitively, validated here once for the web form, the REST API and the
 * dispatcher that matches them.
 */
import { z } from 'zod';
import { nameSchema } from './jobSpec';

/** What "jump to first error" looks for when a show sets none ("error" as a word: not "onerror" or "stderr_errors"). */
export const DEFAULT_ERROR_PATTERNS = ['\\berror\\b', 'Traceback', 'Segmentation fault', 'out of memory'];

/** Why a pattern cannot be used, or null. */
export function logPatternError(pattern: string): string | null {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'i');
  } catch (e) {
    return `'${pattern}' is not a valid regular expression: ${e instanceof Error ? e.message : String(e)}`;
  }
  // A pattern matching empty text would match every line.
  if (regex.test('')) return `'${pattern}' matches empty text, so it would match every line`;
  return null;
}

export const logPatternSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(500, 'must be at most 500 characters')
  .superRefine((value, ctx) => {
    const error = logPatternError(value);
    if (error) ctx.addIssue({ code: 'custom', message: error });
  });

export const errorPatternsInputSchema = z.object({
  show: nameSchema,
  /** The show's whole list; empty goes back to the defaults. */
  patterns: z.array(logPatternSchema).max(50, 'a show may have at most 50 error patterns'),
});
export type ErrorPatternsInput = z.infer<typeof errorPatternsInputSchema>;

export const alertRuleInputSchema = z.object({
  pattern: logPatternSchema,
  /** Only jobs of this show; every show when absent. */
  show: nameSchema.optional(),
});
export type AlertRuleInput = z.infer<typeof alertRuleInputSchema>;

/**
 * Alert rate limits: a rule notifies at most once per frame attempt (a looping log repeating
 * the line makes one notification), and a user gets at most ALERT_MAX_PER_WINDOW log alerts per
 * ALERT_WINDOW_MS whatever the rules; the rest are dropped (counted in the dispatcher's metrics).
 */
export const ALERT_MAX_PER_WINDOW = 10;
export const ALERT_WINDOW_MS = 60_000;

/** The notification kind (and FarmEvent kind) of a log alert. */
export const LOG_ALERT_KIND = 'log_alert';

/** The job page URL that opens a frame's log at a line (1-based). */
export function frameLogLink(jobId: string, frameId: number, attempt: number, line?: number): string {
  const q = new URLSearchParams({ frame: String(frameId), attempt: String(attempt) });
  if (line !== undefined) q.set('line', String(line));
  return `/jobs/${jobId}?${q}`;
}
