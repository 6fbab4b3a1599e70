import { headerFieldsOf } from './headerLines.ts';

export type PropheseeKind = 'evt2' | 'evt21' | 'evt3' | 'dat';

/**
 * What a Prophesee `%` header says the file is: `certain` from `% evt X` or `% format NAME`, or DAT's
 * "Data file containing" line; `maybe` from the plugin name alone (gen3 cameras wrote EVT 2.0, gen4.1 EVT 3.0).
 */
export function sniffPropheseeHeader(head: Uint8Array): { kind: PropheseeKind; verdict: 'certain' | 'maybe' } | undefined {
  if (head[0] !== 0x25) return undefined;
  const fields = headerFieldsOf(head);
  const formatName = fields.format?.split(';')[0]?.trim().toUpperCase();
  const byName: Record<string, PropheseeKind> = { EVT2: 'evt2', EVT21: 'evt21', EVT21_LEGACY: 'evt21', EVT3: 'evt3' };
  if (formatName && byName[formatName]) return { kind: byName[formatName], verdict: 'certain' };
  const byEvt: Record<string, PropheseeKind> = { '2.0': 'evt2', '2.1': 'evt21', '3.0': 'evt3' };
  if (fields.evt && byEvt[fields.evt]) return { kind: byEvt[fields.evt]!, verdict: 'certain' };
  if (fields.Data?.startsWith('file containing')) return { kind: 'dat', verdict: 'certain' };
  const plugin = fields.plugin_name ?? '';
  if (/gen3/.test(plugin)) return { kind: 'evt2', verdict: 'maybe' };
  if (/gen4|imx636/.test(plugin)) return { kind: 'evt3', verdict: 'maybe' };
  if (fields.Version !== undefined) return { kind: 'dat', verdict: 'maybe' };
  return undefined;
}

/** The sniff answer of one Prophesee format module. */
export function sniffAs(kind: PropheseeKind, head: Uint8Array, fileName: string, extensions: readonly string[]) {
  const found = sniffPropheseeHeader(head);
  if (found) return found.kind === kind ? found.verdict : 'no';
  // Headerless word streams (e.g. a ROS EventPacket payload) are only recognised by their extension.
  const lower = fileName.toLowerCase();
  return extensions.some((e) => e !== '.raw' && lower.endsWith(e)) ? 'maybe' : 'no';
}
