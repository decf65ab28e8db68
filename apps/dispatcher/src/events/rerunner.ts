/**
 * One pass at a time, and never a kick lost: `kick()` starts a pass, or — when one is running —
 * asks for exactly one more after it (any number of kicks meanwhile make one). The outbox worker
 * and the webhook sender both run this way: each pass reads everything due, so kicks that arrive
 * during a pass only need one more read, not one each.
 *
 * Written here rather than taken from a library: it is the 20 lines below, and the queue
 * libraries (p-queue, p-limit) queue every call instead of coalescing them into one rerun.
 */
export class Rerunner {
  private running: Promise<void> | null = null;
  private again = false;
  private stoppedFlag = false;

  /** `pass` may read `stopped` to end early; it should catch its own errors. */
  constructor(private readonly pass: () => Promise<void>) {}

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  kick(): void {
    if (this.stoppedFlag) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** No new passes; resolves once the running one (if any) has finished. */
  async stop(): Promise<void> {
    this.stoppedFlag = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again && !this.stoppedFlag);
  }
}
