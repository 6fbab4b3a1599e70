import type { HeaderFields } from '../prophesee/headerLines.ts';
import type { Evt21Layout } from './decoder.ts';

/**
 * Which EVT 2.1 layout a file uses: the caller's choice, else a header that mentions "legacy" anywhere
 * (e.g. `% format EVT21_LEGACY`) means the legacy layout; otherwise the current one.
 */
export function evt21LayoutOf(fields: HeaderFields, requested?: Evt21Layout): Evt21Layout {
  if (requested) return requested;
  const mentionsLegacy = Object.values(fields).some((v) => /legacy/i.test(v));
  return mentionsLegacy ? 'legacy' : 'current';
}
