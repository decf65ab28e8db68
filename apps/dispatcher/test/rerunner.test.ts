import { describe, expect, it } from 'vitest';
import { Rerunner } from '../src/events/rerunner';

describe('Rerunner (outbox worker and webhook sender passes)', () => {
  it('runs one pass at a time, and kicks during a pass make exactly one more', async () => {
    let passes = 0;
    let inPass = 0;
    let maxInPass = 0;
    let release: () => void = () => {};
    const runner = new Rerunner(async () => {
      passes++;
      inPass++;
      maxInPass = Math.max(maxInPass, inPass);
      await new Promise<void>((r) => {
        release = r;
      });
      inPass--;
    });
    runner.kick();
    for (let i = 0; i < 5; i++) runner.kick();
    expect(passes).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(passes).toBe(2);
    release();
    await runner.stop();
    expect(passes).toBe(2);
    expect(maxInPass).toBe(1);
  });

  it('starts nothing once stopped, and stop waits for the running pass', async () => {
    let finished = false;
    const runner = new Rerunner(async () => {
      await new Promise((r) => setTimeout(r, 20));
      finished = true;
    });
    runner.kick();
    await runner.stop();
    expect(finished).toBe(true);
    expect(runner.stopped).toBe(true);
    finished = false;
    runner.kick();
    await new Promise((r) => setTimeout(r, 40));
    expect(finished).toBe(false);
  });
});
