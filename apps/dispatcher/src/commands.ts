/**
 * Applies commands from the durable inbox, one at a time in the order they were stored (by id:
 * a command is applied only after every earlier one still pending), and records each outcome
 * on its row, so the audit log's order is the order things happened. The web wakes us per
 * command; a poll picks up any we missed (a restart, a lost wake-up).
 */
import { AppError, type CommandResult, commandSchema, type FarmCommand, fieldErrors } from '@farmhand/contracts';
import type { Dispatcher } from './dispatcher';
import { createLimit, editLimit, lockHost, moveHost, setSubscription } from './farmCommands';
import { editLayer, executeOnJob } from './jobCommands';
import { COMMAND_OUTCOME } from './persist/tables';
import { submitJob, submitSubmission } from './submit';

export class CommandInbox {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly d: Dispatcher) {}

  /** Applies the command with this id (if still pending), after any earlier pending one, and answers its outcome. Serialized. */
  apply(id: number): Promise<CommandResult> {
    const run = this.chain.then(async () => {
      const earlier = await this.d.db.command.findMany({
        where: { status: 'PENDING', id: { lt: id } },
        orderBy: { id: 'asc' },
        select: { id: true },
      });
      for (const c of earlier) await this.applyNow(c.id);
      return this.applyNow(id);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  startPolling(intervalMs = 1000): void {
    const tick = async () => {
      try {
        const pending = await this.d.db.command.findMany({
          where: { status: 'PENDING' },
          orderBy: { id: 'asc' },
          select: { id: true },
          take: 100,
        });
        for (const c of pending) if (!this.stopped) await this.apply(c.id);
      } catch (e) {
        if (!this.stopped) this.d.log.error({ err: e }, 'polling commands failed');
      }
      // A tick that was running when stop() came must not start another.
      if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async applyNow(id: number): Promise<CommandResult> {
    const row = await this.d.db.command.findUnique({ where: { id } });
    if (!row) return { id, status: 'FAILED', outcome: { code: 'NOT_FOUND', message: `command ${id} does not exist` } };
    if (row.status !== 'PENDING') return { id, status: row.status, outcome: row.outcome ? JSON.parse(row.outcome) : null };
    let status: 'APPLIED' | 'FAILED';
    let outcome: Record<string, unknown>;
    try {
      const parsed = commandSchema.safeParse({
        kind: row.kind,
        targetType: row.targetType,
        targetId: row.targetId,
        args: JSON.parse(row.args),
      });
      if (!parsed.success) {
        const fields = fieldErrors(parsed.error);
        throw new AppError('VALIDATION', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
      }
      outcome = await this.execute(parsed.data);
      status = 'APPLIED';
    } catch (e) {
      status = 'FAILED';
      outcome = e instanceof AppError ? e.toJSON() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
      if (!(e instanceof AppError)) this.d.log.error({ err: e, command: id }, 'command failed unexpectedly');
    }
    // Through the store, like every other write of the dispatcher (on SQLite a second writer in
    // this process could wait on the store's lock while holding the event loop).
    await this.d.store.run(this.d.store.dialect.update(COMMAND_OUTCOME, [[id, status, JSON.stringify(outcome), Date.now()]]));
    this.d.metrics.commandSeconds.observe({ kind: row.kind }, (Date.now() - row.createdAt.getTime()) / 1000);
    this.d.log.info({ command: id, kind: row.kind, user: row.user, target: row.targetId, status }, 'command applied');
    return { id, status, outcome };
  }

  private async execute(cmd: FarmCommand): Promise<Record<string, unknown>> {
    const d = this.d;
    switch (cmd.kind) {
      case 'submit_job':
        return submitJob(d, cmd.args);
      case 'submit_submission':
        return submitSubmission(d, cmd.args);
      case 'lock_host':
      case 'unlock_host':
        return lockHost(d, cmd.targetId, cmd.kind === 'lock_host');
      case 'move_host':
        return moveHost(d, cmd.targetId, cmd.args.allocation);
      case 'set_subscription':
        return setSubscription(d, cmd.targetId, cmd.args);
      case 'create_limit':
        return createLimit(d, cmd.targetId, cmd.args.max);
      case 'edit_limit':
        return editLimit(d, cmd.targetId, cmd.args.max);
      case 'edit_layer':
        return editLayer(d, cmd.targetId, cmd.args);
      default:
        return executeOnJob(d, cmd);
    }
  }
}
