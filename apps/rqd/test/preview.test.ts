/**
 * farmhand-preview's pieces: the EVENT playlist only ever lists the segments present from the
 * first one on and closes when all exist; the luma statistics that decide a black frame; and
 * media paths resolved under the root only (no `..`, no absolute path, no symlink out).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lumaStats } from '../src/preview/frameImage';
import { resolveMediaPath } from '../src/preview/mediaPath';
import { playlistText, segmentOf } from '../src/preview/segments';

const frames = Array.from({ length: 30 }, (_, i) => i + 1);

describe('the preview playlist', () => {
  it('lists the segments present, each with its exact length, and ends only when all exist', () => {
    const partial = playlistText(frames, 2);
    expect(partial).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(partial.match(/^seg\d+\.ts$/gm)).toEqual(['seg00000.ts', 'seg00001.ts']);
    expect(partial).not.toContain('#EXT-X-ENDLIST');
    const full = playlistText(frames, 3);
    expect(full.match(/#EXTINF:([\d.]+),/g)).toEqual(['#EXTINF:0.500000,', '#EXTINF:0.500000,', '#EXTINF:0.250000,']);
    expect(full.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
  });

  it('puts a frame in the segment of its place in the shot', () => {
    expect([1, 12, 13, 30].map((f) => segmentOf(frames, f))).toEqual([0, 0, 1, 2]);
    expect(segmentOf([10, 20, 30], 30)).toBe(0);
  });
});

describe('black frames', () => {
  it('a black picture has a mean near 0; a flat grey one has no spread; a test picture has both', () => {
    expect(lumaStats(new Uint8Array(64).fill(1)).mean).toBe(1);
    expect(lumaStats(new Uint8Array(64).fill(128)).stddev).toBe(0);
    const mixed = lumaStats(Uint8Array.from({ length: 64 }, (_, i) => (i % 2 ? 200 : 40)));
    expect(mixed.mean).toBe(120);
    expect(mixed.stddev).toBe(80);
  });
});

describe('media paths', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-media-'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-outside-'));
  fs.mkdirSync(path.join(root, 'renders'));
  fs.symlinkSync(outside, path.join(root, 'renders', 'escape'));
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('resolves under the root, also for a file not written yet', async () => {
    expect(await resolveMediaPath(root, 'renders/beauty.0001.png')).toBe(path.join(fs.realpathSync(root), 'renders/beauty.0001.png'));
    expect(await resolveMediaPath(root, 'previews/j/l')).toBe(path.join(fs.realpathSync(root), 'previews/j/l'));
  });

  it.each([
    ['../x.png', "contains '..'"],
    ['/etc/passwd', 'is absolute'],
    ['renders/escape/beauty.0001.png', 'outside the media root'],
  ])('refuses %s (%s)', async (rel, reason) => {
    await expect(resolveMediaPath(root, rel)).rejects.toThrow(reason);
  });
});
