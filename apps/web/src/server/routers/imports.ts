/**
 * The submit page's drop zone: `imports.preview` reads a dropped file into a submission and
 * answers its jobs, layers and depends (or every problem by line), storing nothing;
 * `imports.submit` submits the previewed submission, all or nothing.
 */
import { submissionSchema } from '@farmhand/contracts';
import { IMPORT_FORMATS } from '@farmhand/importers';
import { z } from 'zod';
import { bySubmission, jobList, jobSubmit } from '../access';
import { previewImport } from '../services/imports';
import { submitSubmission } from '../services/submissions';
import { router } from '../trpc';

const previewInput = z.object({
  /** The file's text (the page reads it; 20 MB is far beyond any job file). */
  text: z.string().max(20_000_000, 'the file is larger than 20 MB'),
  fileName: z.string().min(1).max(500),
  format: z.enum(IMPORT_FORMATS).optional(),
  show: z.string().optional(),
  user: z.string().optional(),
  others: z
    .array(z.object({ name: z.string(), text: z.string().max(20_000_000) }))
    .max(1000)
    .optional(),
});

export const importsRouter = router({
  preview: jobList.input(previewInput).mutation(async ({ ctx, input }) => previewImport(await ctx.db(), input)),
  submit: jobSubmit(bySubmission)
    .input(z.object({ submission: submissionSchema }))
    .mutation(async ({ ctx, input }) =>
      submitSubmission({ db: await ctx.db(), dispatcherUrl: ctx.dispatcherUrl, user: ctx.user }, input.submission),
    ),
});
