/**
 * NIMBY ("not in my back yard") for desktop hosts: when someone uses the workstation — keyboard
 * or mouse input, or more non-farm CPU than a threshold — the host locks itself NIMBY_LOCKED,
 * stops its frames (reported as NIMBY, which the dispatcher hands back without counting a
 * failure) and refuses launches until the machine has been idle for the configured time.
 */
import { type ActivitySource, DesktopActivity } from './desktopActivity';
import type { LinkLogger } from './dispatcherLink';
import type { FrameHost } from './frameHost';
import type { NimbyOptions } from './options';

export class NimbyWatch {
  locked = false;
  private lastActivity = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly options: NimbyOptions,
    private readonly host: FrameHost,
    private readonly onChange: () => void,
    private readonly log: LinkLogger,
    private readonly activity: ActivitySource = new DesktopActivity(host),
  ) {
    this.timer = setInterval(() => this.check(), options.checkIntervalS * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reads the machine's activity and locks or unlocks. */
  check(now = Date.now()): void {
    const { input, desktopCores } = this.activity.read();
    if (input || desktopCores > this.options.loadThreshold) {
      this.lastActivity = now;
      if (!this.locked) this.lock(input ? 'keyboard or mouse input' : `${desktopCores.toFixed(1)} cores used outside the farm`);
    } else if (this.locked && now - this.lastActivity >= this.options.idleS * 1000) {
      this.locked = false;
      this.host.setLock(undefined);
      this.log.info(`NIMBY: the desktop has been idle for ${this.options.idleS} s; host open to the farm again`);
      this.onChange();
    }
  }

  private lock(why: string): void {
    this.locked = true;
    const reason = `someone is using this desktop (${why})`;
    this.host.setLock(reason);
    this.log.info(`NIMBY locked: ${reason}; stopping its frames`);
    this.onChange();
    void this.host.killAll('NIMBY', reason);
  }
}
