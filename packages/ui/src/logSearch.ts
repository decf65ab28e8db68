/**
 * Searching a log: compiling what the reader typed (a regex; a plain string when it is not
 * one), finding the lines that match, and splitting a line's styled runs so the matches can
 * be marked. Pure, for the viewer and its tests.
 */

import { DEFAULT_ERROR_PATTERNS } from '@farmhand/contracts';
import type { AnsiRun } from './ansi';

/** What "jump to first error" looks for unless a show sets its own (defined once in contracts). */
export { DEFAULT_ERROR_PATTERNS };

export interface CompiledSearch {
  regex: RegExp | null;
  /** Why the text is not a valid regex (it is then searched for literally). */
  error: string | null;
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileSearch(query: string, caseSensitive = false): CompiledSearch {
  if (!query) return { regex: null, error: null };
  const flags = caseSensitive ? 'g' : 'gi';
  try {
    const regex = new RegExp(query, flags);
    // A pattern that matches the empty string would mark every position of every line.
    if (regex.test('')) return { regex: new RegExp(literal(query), flags), error: 'matches empty text: searched as plain text' };
    regex.lastIndex = 0;
    return { regex, error: null };
  } catch (e) {
    return { regex: new RegExp(literal(query), flags), error: `${e instanceof Error ? e.message : 'not a regex'}: searched as plain text` };
  }
}

export function errorRegex(patterns: readonly string[] = DEFAULT_ERROR_PATTERNS): RegExp | null {
  const parts = patterns.filter(Boolean).map((p) => {
    try {
      new RegExp(p);
      return `(?:${p})`;
    } catch {
      return literal(p);
    }
  });
  return parts.length ? new RegExp(parts.join('|'), 'i') : null;
}

/** Indexes of lines the regex matches (`plain(i)` gives a line without escapes). */
export function matchingLines(count: number, plain: (i: number) => string, regex: RegExp | null): number[] {
  if (!regex) return [];
  const test = new RegExp(regex.source, regex.flags.replace('g', ''));
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (test.test(plain(i))) out.push(i);
  return out;
}

export interface MarkedRun extends AnsiRun {
  mark: boolean;
}

/** Splits runs at the regex's matches over their joined text; matched parts carry `mark`. */
export function markMatches(runs: AnsiRun[], regex: RegExp | null): MarkedRun[] {
  if (!regex) return runs.map((r) => ({ ...r, mark: false }));
  const text = runs.map((r) => r.text).join('');
  const ranges: [number, number][] = [];
  const g = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
  for (let m = g.exec(text); m; m = g.exec(text)) {
    if (m[0].length === 0) {
      g.lastIndex++;
      continue;
    }
    ranges.push([m.index, m.index + m[0].length]);
  }
  if (ranges.length === 0) return runs.map((r) => ({ ...r, mark: false }));
  const out: MarkedRun[] = [];
  let pos = 0;
  let k = 0;
  for (const run of runs) {
    let start = 0;
    while (start < run.text.length) {
      const at = pos + start;
      while (k < ranges.length && (ranges[k]?.[1] ?? 0) <= at) k++;
      const range = ranges[k];
      const inside = range !== undefined && range[0] <= at;
      const boundary = inside ? range[1] : range ? range[0] : Number.POSITIVE_INFINITY;
      const end = Math.min(run.text.length, boundary - pos);
      out.push({ text: run.text.slice(start, end), style: run.style, mark: inside });
      start = end;
    }
    pos += run.text.length;
  }
  return out;
}
