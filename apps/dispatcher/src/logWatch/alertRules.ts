/**
 * Users' alert rules, compiled, read again from the database every few seconds: a rule a
 * user adds in the web applies to lines printed from then on (within the refresh interval),
 * without a command round trip. A stored pattern that no longer compiles is skipped.
 */
import type { Dispatcher } from '../dispatcher';

export interface CompiledRule {
  id: string;
  user: string;
  pattern: string;
  showId: string | null;
  regex: RegExp;
}

export class AlertRules {
  private byUser = new Map<string, CompiledRule[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: Dispatcher) {}

  start(refreshMs: number, alsoEachTime: () => void): void {
    const tick = async () => {
      await this.refresh().catch((e) => this.d.log.warn({ err: e }, 'alert rules could not be read'));
      alsoEachTime();
      if (this.timer !== null) this.timer = setTimeout(tick, refreshMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async refresh(): Promise<void> {
    const rows = await this.d.db.alertRule.findMany({ where: { enabled: true } });
    const next = new Map<string, CompiledRule[]>();
    for (const r of rows) {
      let regex: RegExp;
      try {
        regex = new RegExp(r.pattern, 'i');
      } catch {
        continue;
      }
      const list = next.get(r.user) ?? [];
      list.push({ id: r.id, user: r.user, pattern: r.pattern, showId: r.showId, regex });
      next.set(r.user, list);
    }
    this.byUser = next;
  }

  /** The rules that apply to a job of `user` in show `showId`. */
  forJob(user: string, showId: string): CompiledRule[] {
    const rules = this.byUser.get(user);
    if (!rules) return [];
    return rules.filter((r) => r.showId === null || r.showId === showId);
  }
}
