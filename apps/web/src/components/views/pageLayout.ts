/**
 * The arithmetic of a composed page's layout: where a new panel goes, and panels moved to
 * where the layout library left them after a drag or resize.
 */
import { PAGE_COLUMNS, type Panel, type PanelType } from '@farmhand/contracts';

/** A new panel takes half the page's width, under whichever half ends higher. */
export function newPanel(type: PanelType, panels: readonly Panel[], id = `${type}-${Date.now().toString(36)}`): Panel {
  const bottom = (from: number, to: number) => panels.reduce((y, p) => (p.x < to && p.x + p.w > from ? Math.max(y, p.y + p.h) : y), 0);
  const half = PAGE_COLUMNS / 2;
  const [left, right] = [bottom(0, half), bottom(half, PAGE_COLUMNS)];
  const x = right < left ? half : 0;
  return { id, type, x, y: Math.min(left, right), w: half, h: type === 'jobs' || type === 'frames' ? 10 : 8 };
}

/** The panels at the places a layout gives them (by panel id); null when nothing moved. */
export function placed(
  panels: readonly Panel[],
  layout: readonly { i: string; x: number; y: number; w: number; h: number }[],
): Panel[] | null {
  const at = new Map(layout.map((l) => [l.i, l]));
  let moved = false;
  const next = panels.map((p) => {
    const l = at.get(p.id);
    if (!l || (l.x === p.x && l.y === p.y && l.w === p.w && l.h === p.h)) return p;
    moved = true;
    return { ...p, x: l.x, y: l.y, w: l.w, h: l.h };
  });
  return moved ? next : null;
}
