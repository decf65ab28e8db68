/**
 * @farmhand/importers: files other farm managers (and Farmhand itself) write, turned into a
 * Farmhand submission — pure functions of the file's text, with every problem named by line.
 */
import { importDagman } from './dagman/index';
import { importFarmhandSpec } from './farmhandSpec';
import { importOpenCue } from './opencue/index';
import { importOpenJd } from './openjd/index';
import type { ImportOptions, ImportResult } from './result';

export { formatProblem, ImportFailed, type ImportOptions, type ImportProblem, type ImportResult } from './result';
export { importDagman, importFarmhandSpec, importOpenCue, importOpenJd };

export const IMPORT_FORMATS = ['farmhand', 'openjd', 'dagman', 'opencue'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The format of a file, from its name and, for YAML and JSON, whether it is an OpenJD template. */
export function detectFormat(fileName: string, text: string): ImportFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.dag')) return 'dagman';
  if (lower.endsWith('.xml') || lower.endsWith('.cue') || /^\s*(<\?xml|<!DOCTYPE spec|<spec)/.test(text)) return 'opencue';
  if (/specificationVersion\W+jobtemplate-/.test(text)) return 'openjd';
  return 'farmhand';
}

/** Imports a file of any supported format (given, or detected from its name and text). */
export function importFile(text: string, options: ImportOptions & { format?: ImportFormat } = {}): ImportResult {
  const format = options.format ?? detectFormat(options.fileName ?? '', text);
  switch (format) {
    case 'dagman':
      return importDagman(text, options);
    case 'opencue':
      return importOpenCue(text, options);
    case 'openjd':
      return importOpenJd(text, options);
    case 'farmhand':
      return importFarmhandSpec(text, options);
  }
}
