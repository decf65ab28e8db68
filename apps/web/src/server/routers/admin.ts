/** Admin: accounts and their role grants, host tokens; and the audit trail for wranglers and admins. */
import { grantInputSchema, userInputSchema } from '@farmhand/contracts';
import { z } from 'zod';
import { auditRead, usersAdmin } from '../access';
import { createHostToken, hostTokenInputSchema, listHostTokens, revokeHostToken } from '../auth/hostTokens';
import { addGrant, createUser, listUsers, removeGrant, updateUser, userUpdateSchema } from '../auth/users';
import { auditQuerySchema, auditTrail } from '../services/audit';
import { router } from '../trpc';

export const adminRouter = router({
  users: usersAdmin.query(async ({ ctx }) => listUsers(await ctx.db())),
  createUser: usersAdmin.input(userInputSchema).mutation(async ({ ctx, input }) => createUser(await ctx.db(), input)),
  updateUser: usersAdmin.input(userUpdateSchema).mutation(async ({ ctx, input }) => updateUser(await ctx.db(), input, ctx.user)),
  addGrant: usersAdmin.input(grantInputSchema).mutation(async ({ ctx, input }) => addGrant(await ctx.db(), input)),
  removeGrant: usersAdmin
    .input(z.object({ grantId: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => removeGrant(await ctx.db(), input.grantId)),
  hostTokens: usersAdmin.query(async ({ ctx }) => listHostTokens(await ctx.db())),
  createHostToken: usersAdmin.input(hostTokenInputSchema).mutation(async ({ ctx, input }) => createHostToken(await ctx.db(), input)),
  revokeHostToken: usersAdmin
    .input(z.object({ tokenId: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => revokeHostToken(await ctx.db(), input.tokenId)),
  audit: auditRead.input(auditQuerySchema.partial().default({})).query(async ({ ctx, input }) => auditTrail(await ctx.db(), input)),
});
