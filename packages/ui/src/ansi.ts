/**
 * ANSI colour codes in log lines, turned into styled runs of plain text. Only SGR (`ESC[…m`)
 * is understood — the 16 colours, 256-colour and true-colour forms, bold, italic, underline,
 * inverse; every other escape (cursor moves, erase line) is dropped. A carriage return keeps
 * what came after it, as a terminal would show a progress line. The text is never HTML.
 */

export interface AnsiStyle {
  fg?: string;
  bg?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface AnsiRun {
  text: string;
  style: AnsiStyle;
}

const BASE = ['#484f58', '#ff7b72', '#3fb950', '#d29922', '#58a6ff', '#bc8cff', '#39c5d3', '#b1bac4'];
const BRIGHT = ['#6e7681', '#ffa198', '#56d364', '#e3b341', '#79c0ff', '#d2a8ff', '#56d4dd', '#f0f6fc'];

function color256(n: number): string | undefined {
  if (n < 8) return BASE[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n < 232) {
    const v = n - 16;
    const c = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return `rgb(${c(Math.floor(v / 36))},${c(Math.floor(v / 6) % 6)},${c(v % 6)})`;
  }
  if (n < 256) {
    const g = 8 + (n - 232) * 10;
    return `rgb(${g},${g},${g})`;
  }
  return undefined;
}

function applySgr(style: AnsiStyle, params: number[]): AnsiStyle {
  let s = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i] ?? 0;
    if (p === 0) s = {};
    else if (p === 1) s.bold = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 22) s.bold = false;
    else if (p === 23) s.italic = false;
    else if (p === 24) s.underline = false;
    else if (p === 27) s.inverse = false;
    else if (p >= 30 && p <= 37) s.fg = BASE[p - 30];
    else if (p >= 90 && p <= 97) s.fg = BRIGHT[p - 90];
    else if (p >= 40 && p <= 47) s.bg = BASE[p - 40];
    else if (p >= 100 && p <= 107) s.bg = BRIGHT[p - 100];
    else if (p === 39) s.fg = undefined;
    else if (p === 49) s.bg = undefined;
    else if (p === 38 || p === 48) {
      const mode = params[i + 1];
      let color: string | undefined;
      if (mode === 5) {
        color = color256(params[i + 2] ?? 0);
        i += 2;
      } else if (mode === 2) {
        color = `rgb(${params[i + 2] ?? 0},${params[i + 3] ?? 0},${params[i + 4] ?? 0})`;
        i += 4;
      }
      if (p === 38) s.fg = color;
      else s.bg = color;
    }
  }
  return s;
}

const ESC = String.fromCharCode(27);
// CSI sequences (ESC [ params final), and OSC (ESC ] … BEL or ESC \), and two-byte escapes.
const ESCAPE = new RegExp(
  `${ESC}(?:\\[([0-9;?]*)([@-~])|\\][^${String.fromCharCode(7)}${ESC}]*(?:${String.fromCharCode(7)}|${ESC}\\\\)?|[@-Z\\\\-_])`,
  'g',
);

/** True when the line holds an escape at all: most lines do not, and skip the parser. */
export function hasAnsi(line: string): boolean {
  return line.includes(ESC);
}

/** A line's styled runs. `style` carries over from the previous line (colours can span lines). */
export function parseAnsi(line: string, style: AnsiStyle = {}): { runs: AnsiRun[]; style: AnsiStyle } {
  const cr = line.lastIndexOf('\r');
  const text = cr >= 0 && cr < line.length - 1 ? line.slice(cr + 1) : line.replace(/\r$/, '');
  if (!hasAnsi(text)) return { runs: text ? [{ text, style }] : [], style };
  const runs: AnsiRun[] = [];
  let current = style;
  let last = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) {
    if (m.index > last) runs.push({ text: text.slice(last, m.index), style: current });
    if (m[2] === 'm') {
      const params = (m[1] ?? '')
        .split(';')
        .filter((x) => x !== '' && x !== '?')
        .map(Number);
      current = applySgr(current, params.length ? params : [0]);
    }
    last = ESCAPE.lastIndex;
  }
  if (last < text.length) runs.push({ text: text.slice(last), style: current });
  return { runs, style: current };
}

/** The line as plain text, escapes removed: what search and "first error" look at. */
export function stripAnsi(line: string): string {
  if (!hasAnsi(line)) return line;
  return parseAnsi(line)
    .runs.map((r) => r.text)
    .join('');
}
