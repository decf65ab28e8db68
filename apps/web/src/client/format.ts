/** How times, durations and sizes read in grids: short, and the same on every page. */

export function formatTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.toLocaleDateString('en-GB', { day: '2-digit', month: 'short' })} ${time.slice(0, 5)}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Seconds between two ISO times; running frames count up to `now`. */
export function elapsedSeconds(start: string | null, stop: string | null, now: number = Date.now()): number | null {
  if (!start) return null;
  const end = stop ? Date.parse(stop) : now;
  return (end - Date.parse(start)) / 1000;
}

export function formatMb(mb: number | null | undefined): string {
  if (mb === null || mb === undefined) return '';
  if (mb >= 1024) return `${(mb / 1024).toFixed(mb >= 10_240 ? 0 : 1)} GB`;
  return `${Math.round(mb)} MB`;
}
