/** Error patterns of a show (read by every reader, set by those who act on the show's jobs) and the caller's own alert rules. */
import { alertRuleInputSchema, errorPatternsInputSchema, nameSchema } from '@farmhand/contracts';
import { z } from 'zod';
import { account, byShow, farmRead, jobAct } from '../access';
import { addAlertRule, listAlertRules, removeAlertRule, setShowErrorPatterns, showErrorPatterns } from '../services/logRules';
import { router } from '../trpc';

export const logRulesRouter = router({
  errorPatterns: farmRead
    .input(z.object({ show: nameSchema }))
    .query(async ({ ctx, input }) => showErrorPatterns(await ctx.db(), input.show)),
  setErrorPatterns: jobAct(byShow)
    .input(errorPatternsInputSchema)
    .mutation(async ({ ctx, input }) => setShowErrorPatterns(await ctx.db(), input)),
  alertRules: account.query(async ({ ctx }) => listAlertRules(await ctx.db(), ctx.user)),
  addAlertRule: account.input(alertRuleInputSchema).mutation(async ({ ctx, input }) => addAlertRule(await ctx.db(), ctx.user, input)),
  removeAlertRule: account
    .input(z.object({ id: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => removeAlertRule(await ctx.db(), ctx.user, input.id)),
});
