import type { ExportFormat } from './format.js';
import { composeFormat } from './compose/format.js';
import { kubernetesFormat } from './kubernetes/format.js';

/** Every format `berth export --to` knows, by the word that names it. */
export const EXPORT_FORMATS: Readonly<Record<string, ExportFormat>> = {
  compose: composeFormat,
  kubernetes: kubernetesFormat,
};

/** The format for a word, if berth knows it. */
export function exportFormat(word: string): ExportFormat | undefined {
  return Object.hasOwn(EXPORT_FORMATS, word) ? EXPORT_FORMATS[word] : undefined;
}
