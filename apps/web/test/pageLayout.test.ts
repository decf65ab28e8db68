/** Where a new panel goes on a composed page, and what a drag or resize changes. */
import type { Panel } from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import { newPanel, placed } from '../src/components/views/pageLayout';

const panel = (id: string, x: number, y: number, w: number, h: number): Panel => ({ id, type: 'jobs', x, y, w, h });

describe('a new panel', () => {
  it.each([
    { case: 'on an empty page goes top left', panels: [], at: { x: 0, y: 0 } },
    { case: 'beside a half-width panel goes to its right', panels: [panel('a', 0, 0, 6, 8)], at: { x: 6, y: 0 } },
    { case: 'under a full-width panel goes below it, on the left', panels: [panel('a', 0, 0, 12, 9)], at: { x: 0, y: 9 } },
    {
      case: 'goes under the half that ends higher',
      panels: [panel('a', 0, 0, 6, 20), panel('b', 6, 0, 6, 8)],
      at: { x: 6, y: 8 },
    },
  ])('$case', ({ panels, at }) => {
    expect(newPanel('hosts', panels, 'new')).toMatchObject({ id: 'new', type: 'hosts', w: 6, h: 8, ...at });
  });

  it('is taller for grids of jobs and frames', () => {
    expect(newPanel('frames', [], 'f').h).toBeGreaterThan(newPanel('log', [], 'l').h);
  });
});

describe('panels after a drag or resize', () => {
  const panels = [panel('a', 0, 0, 6, 8), panel('b', 6, 0, 6, 8)];

  it('take the places the layout gives them, keeping their other settings', () => {
    const moved = placed(
      [{ ...panels[0]!, mine: true }, panels[1]!],
      [
        { i: 'a', x: 0, y: 8, w: 12, h: 10 },
        { i: 'b', x: 0, y: 0, w: 6, h: 8 },
      ],
    );
    expect(moved).toEqual([{ ...panel('a', 0, 8, 12, 10), mine: true }, panel('b', 0, 0, 6, 8)]);
  });

  it('are not changed (nothing to save) when the layout is where they already are', () => {
    expect(
      placed(
        panels,
        panels.map((p) => ({ i: p.id, x: p.x, y: p.y, w: p.w, h: p.h })),
      ),
    ).toBeNull();
  });
});
