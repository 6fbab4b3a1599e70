import type { FormatModule } from '../types.ts';
import { createCsvDecoder } from './decoder.ts';
import { createCsvEncoder } from './encoder.ts';

/**
 * CSV/TXT `t x y p` text. No magic: 'maybe' when the head is printable text whose first data line has at
 * least four numeric fields, or when the extension is .csv/.txt.
 */
export const format: FormatModule = {
  name: 'csv',
  extensions: ['.csv', '.txt'],
  sniff(head, fileName) {
    const lower = fileName.toLowerCase();
    const byName = lower.endsWith('.csv') || lower.endsWith('.txt');
    for (let i = 0; i < head.length; i++) {
      const b = head[i]!;
      if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) return byName ? 'maybe' : 'no';
    }
    const text = new TextDecoder().decode(head);
    const dataLine = text.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && /^[\s\d.+-]/.test(l));
    const numeric = dataLine !== undefined && dataLine.trim().split(/[\s,;]+/).filter((f) => /^[+-]?[\d.]+(e[+-]?\d+)?$/i.test(f)).length >= 4;
    return byName || numeric ? 'maybe' : 'no';
  },
  createDecoder: createCsvDecoder,
  createEncoder: createCsvEncoder,
};
