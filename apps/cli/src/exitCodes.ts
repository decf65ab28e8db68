/**
 * Exit codes scripts can trust: what went wrong, not just that something did. Printed by
 * `farmhand --help`, and the same for every subcommand.
 */
import { FarmhandApiError } from '@farmhand/sdk';

export const EXIT = {
  OK: 0,
  /** Something unexpected; the message says what. */
  INTERNAL: 1,
  /** The input is not valid: a spec, an imported file, an argument. Nothing was stored. */
  INVALID: 2,
  /** A job, frame, host or show named does not exist. */
  NOT_FOUND: 3,
  /** The farm refused: e.g. the job is finished and can no longer change. */
  REFUSED: 4,
  /** Farmhand cannot be reached. */
  UNREACHABLE: 5,
  /** `watch`: the job ended with dead frames. */
  JOB_FAILED: 10,
  /** `watch`: the job was killed. */
  JOB_KILLED: 11,
} as const;

export const EXIT_HELP = `
Exit codes:
  0  success                      3  not found
  1  unexpected error             4  refused by the farm
  2  invalid input (nothing       5  Farmhand unreachable
     was stored)                  10 watch: job FAILED (dead frames)
                                  11 watch: job KILLED`;

export function exitCodeOf(error: unknown): number {
  if (!(error instanceof FarmhandApiError)) return EXIT.INTERNAL;
  switch (error.code) {
    case 'VALIDATION':
      return EXIT.INVALID;
    case 'NOT_FOUND':
      return EXIT.NOT_FOUND;
    case 'CONFLICT':
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      return EXIT.REFUSED;
    case 'UNAVAILABLE':
      return EXIT.UNREACHABLE;
    default:
      return EXIT.INTERNAL;
  }
}

/** An error the CLI itself finds (a bad argument, an import problem), with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
