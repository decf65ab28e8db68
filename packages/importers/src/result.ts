/**
 * What every importer answers: a validated submission (the same schema the REST API takes),
 * or every problem found, each naming the file, the line and the construct at fault. A
 * construct Farmhand runs differently from the source format is a warning, never dropped
 * silently.
 */
import { fieldErrors, type Submission, type SubmissionInput, submissionSchema } from '@farmhand/contracts';

export interface ImportProblem {
  file: string;
  /** 1-based; 0 when the problem is about the whole file. */
  line: number;
  /** The construct at fault as the format spells it: `RETRY … UNLESS-EXIT`, `steps[1].parameterSpace`, `<depend type="FRAME_BY_FRAME">`. */
  construct: string;
  message: string;
}

export type ImportResult =
  | { ok: true; submission: Submission; warnings: ImportProblem[] }
  | { ok: false; errors: ImportProblem[]; warnings: ImportProblem[] };

export interface ImportOptions {
  /** The file's name, used in problems and to pick the format. */
  fileName?: string;
  /** Formats that do not name them (HTCondor DAGMan, OpenJD) take the show and user from here. */
  show?: string;
  user?: string;
  /** Reads a file the imported one refers to (a DAG's submit files and splices), relative to it. Null when missing. */
  readFile?: (relativePath: string) => string | null;
  /** OpenJD job parameter values, overriding the template's defaults. */
  parameters?: Record<string, string>;
}

export function formatProblem(p: ImportProblem): string {
  return `${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.construct}: ${p.message}`;
}

export class ImportFailed extends Error {
  constructor(readonly errors: ImportProblem[]) {
    super(errors.map(formatProblem).join('\n'));
    this.name = 'ImportFailed';
  }
}

/** Collects problems while an importer walks its file. */
export class Problems {
  readonly errors: ImportProblem[] = [];
  readonly warnings: ImportProblem[] = [];
  constructor(readonly file: string) {}
  error(line: number, construct: string, message: string): void {
    this.errors.push({ file: this.file, line, construct, message });
  }
  warn(line: number, construct: string, message: string): void {
    this.warnings.push({ file: this.file, line, construct, message });
  }
}

/**
 * Validates what an importer built. Schema errors are placed on the line of the job (or
 * depend) they concern, found through `lineOf(path)`, and keep the schema's path in the
 * construct so the person sees both where and what.
 */
export function finish(problems: Problems, input: SubmissionInput, lineOf: (path: (string | number)[]) => number = () => 0): ImportResult {
  if (problems.errors.length > 0) return { ok: false, errors: problems.errors, warnings: problems.warnings };
  const parsed = submissionSchema.safeParse(input);
  if (parsed.success) return { ok: true, submission: parsed.data, warnings: problems.warnings };
  const fields = fieldErrors(parsed.error);
  parsed.error.issues.forEach((issue, i) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    problems.error(lineOf(path), fields[i]?.path || 'submission', issue.message);
  });
  return { ok: false, errors: problems.errors, warnings: problems.warnings };
}

/** Quotes a word for /bin/sh unless it is plainly safe. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_./:=,+@%#-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A name Farmhand accepts (letters, digits, `.`, `_`, `-`), or null. */
export function farmName(text: string): string | null {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(text) ? text : null;
}
