/**
 * Reading a YAML (or JSON) file with line numbers: problems in the YAML itself are reported
 * by line, and `lineOf(path)` finds the line of any value, or of its nearest parent.
 */
import { type Document, LineCounter, parseDocument } from 'yaml';
import type { Problems } from './result';

export interface YamlFile {
  doc: Document;
  value: unknown;
  lineOf(path: readonly (string | number)[]): number;
}

export function readYaml(text: string, problems: Problems): YamlFile | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  for (const e of doc.errors) problems.error(counter.linePos(e.pos[0]).line, 'YAML', e.message.split('\n')[0] ?? e.message);
  if (problems.errors.length) return null;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Aliases that point nowhere, or alias bombs, fail only when the document is resolved.
    problems.error(1, 'YAML', (e as Error).message);
    return null;
  }
  const lineOf = (path: readonly (string | number)[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
    }
    return 0;
  };
  return { doc, value, lineOf };
}
