/**
 * `farmhand submit FILE`: imports the file here (Farmhand spec YAML/JSON, OpenJD template,
 * DAGMan .dag with its submit files and splices read beside it, OpenCue XML), then submits
 * the whole submission at once. Import problems are listed by file and line; nothing is sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatProblem, type ImportFormat, importFile } from '@farmhand/importers';
import type { Cli } from '../context';
import { CliError, EXIT } from '../exitCodes';
import { table } from '../table';

export interface SubmitOptions {
  show?: string;
  format?: ImportFormat;
  param?: string[];
  dryRun?: boolean;
}

export async function submit(cli: Cli, file: string, options: SubmitOptions): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.INVALID);
  }
  const dir = path.dirname(path.resolve(file));
  const parameters = Object.fromEntries(
    (options.param ?? []).map((p) => {
      const eq = p.indexOf('=');
      if (eq <= 0) throw new CliError(`--param '${p}' is not NAME=value`, EXIT.INVALID);
      return [p.slice(0, eq), p.slice(eq + 1)];
    }),
  );
  const result = importFile(text, {
    fileName: path.basename(file),
    ...(options.format ? { format: options.format } : {}),
    ...(options.show ? { show: options.show } : {}),
    user: cli.user,
    parameters,
    readFile: (p) => {
      const full = path.resolve(dir, p);
      return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : null;
    },
  });
  for (const w of result.warnings) cli.err(`warning: ${formatProblem(w)}`);
  if (!result.ok) throw new CliError(result.errors.map(formatProblem).join('\n'), EXIT.INVALID);
  const { submission } = result;
  if (options.dryRun) {
    cli.out(
      cli.json
        ? JSON.stringify(submission, null, 2)
        : `${file}: ${submission.jobs.length} jobs, ${submission.depends.length} depends; not submitted (--dry-run)`,
    );
    return EXIT.OK;
  }
  const answer = await cli.client.submit(submission);
  if (cli.json) cli.out(JSON.stringify(answer));
  else {
    cli.out(answer.message);
    if (answer.jobIds) cli.out(table(['JOB', 'ID'], Object.entries(answer.jobIds)));
  }
  return EXIT.OK;
}
