import { ConfigError } from '../errors.ts';
import type { FormatModule } from './types.ts';
import { format as evt2 } from './evt2/index.ts';
import { format as evt21 } from './evt21/index.ts';
import { format as evt3 } from './evt3/index.ts';
import { format as dat } from './dat/index.ts';
import { format as aedat2 } from './aedat2/index.ts';
import { format as aedat3 } from './aedat3/index.ts';
import { format as aedat4 } from './aedat4/index.ts';
import { format as nmnist } from './nmnist/index.ts';
import { format as es } from './es/index.ts';
import { format as csv } from './csv/index.ts';
import { format as npy } from './npy/index.ts';
import { format as hdf5 } from './hdf5/index.ts';

/** Every format spikeflow knows, in sniffing order (magic-number formats before guessable ones). */
export const formats: readonly FormatModule[] = [evt2, evt21, evt3, dat, aedat2, aedat3, aedat4, nmnist, es, npy, hdf5, csv];

export function formatByName(name: string): FormatModule {
  const found = formats.find((f) => f.name === name);
  if (!found) throw new ConfigError('format', name, `one of ${formats.map((f) => f.name).join(', ')}`);
  return found;
}

/** The format whose extension matches the file name (for choosing an output format), if any. */
export function formatByExtension(fileName: string): FormatModule | undefined {
  const lower = fileName.toLowerCase();
  let best: FormatModule | undefined;
  let bestLength = 0;
  for (const f of formats) {
    for (const ext of f.extensions) {
      if (lower.endsWith(ext) && ext.length > bestLength) {
        best = f;
        bestLength = ext.length;
      }
    }
  }
  return best;
}

/**
 * Picks the format of a file from its first bytes: a 'certain' sniff wins; among 'maybe' answers one whose
 * extension matches the file name is preferred.
 */
export function detectFormat(head: Uint8Array, fileName: string): FormatModule | undefined {
  const maybes: FormatModule[] = [];
  for (const f of formats) {
    const verdict = f.sniff(head, fileName);
    if (verdict === 'certain') return f;
    if (verdict === 'maybe') maybes.push(f);
  }
  const lower = fileName.toLowerCase();
  return maybes.find((f) => f.extensions.some((e) => lower.endsWith(e))) ?? maybes[0];
}
