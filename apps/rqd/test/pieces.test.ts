/**
 * The pure pieces of rqd: cutting UTF-8 streams into chunks, zero padding, unknown tokens, and
 * which log paths stay inside the log root.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandCommand, resolveLogFile, tokenValues, unknownTokens, zeroPad } from '../src/index';
import { completeUtf8Length } from '../src/utf8';
import { launchMessage } from './support/builders';

describe('log chunks cut at character boundaries', () => {
  it('any text cut at any byte positions joins back into the same text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const bytes = Buffer.from(text);
        let pending = Buffer.alloc(0);
        let out = '';
        let start = 0;
        for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
          pending = Buffer.concat([pending, bytes.subarray(start, Math.max(start, cut))]);
          start = Math.max(start, cut);
          const complete = completeUtf8Length(pending);
          out += pending.subarray(0, complete).toString('utf8');
          pending = pending.subarray(complete);
        }
        expect(out + pending.toString('utf8')).toBe(text);
        expect(pending.length).toBe(0);
      }),
    );
  });
});

describe('command tokens', () => {
  it.each([
    [7, '0007'],
    [1234, '1234'],
    [12345, '12345'],
    [0, '0000'],
    [-7, '-0007'],
  ])('#ZFRAME# of %i is %s', (frame, padded) => {
    expect(zeroPad(frame)).toBe(padded);
  });

  it.each([
    ['render -f #FRAME#', []],
    ['render -f #FRAMES# -o #OUT#', ['#FRAMES#', '#OUT#']],
    ['echo "# not a token #" && echo #lower#', []],
    ['nuke -F #FRAME_START#-#FRAME_END# #ZFRAME#', []],
  ])('unknown tokens in %s: %j', (command, unknown) => {
    expect(unknownTokens(command)).toEqual(unknown);
  });

  it('tokens are replaced wherever they appear, side by side too', () => {
    const launch = launchMessage({ frames: [3, 4], layerName: 'comp' });
    expect(expandCommand('out.#ZFRAME#.exr #LAYER##FRAME_END#', tokenValues(launch, '/logs'))).toBe('out.0003.exr comp4');
  });
});

describe('log paths', () => {
  it.each([
    ['show/job/layer/1.1.log', true],
    ['show/job/../job/layer/1.1.log', true],
    ['../outside.log', false],
    ['show/../../outside.log', false],
    ['/etc/passwd', false],
    ['', false],
    ['show/job\0/x.log', false],
  ])('%j stays inside the root: %s', (logPath, inside) => {
    expect(resolveLogFile('/farm/logs', logPath) !== undefined).toBe(inside);
  });
});
