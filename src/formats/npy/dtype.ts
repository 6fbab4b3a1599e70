import type { PyValue } from './pyLiteral.ts';

/** One field of a structured NumPy dtype that spikeflow reads. */
export interface NpyField {
  readonly name: string;
  readonly offset: number;
  /** 'i' signed, 'u' unsigned, 'b' bool, 'f' float. */
  readonly kind: 'i' | 'u' | 'b' | 'f';
  readonly size: number;
  readonly littleEndian: boolean;
}

export interface NpyRecordLayout {
  readonly itemSize: number;
  readonly t: NpyField;
  readonly x: NpyField;
  readonly y: NpyField;
  readonly p: NpyField;
}

const ALIASES = {
  t: ['t', 'ts', 'timestamp', 'timestamps', 'time', 't_us'],
  x: ['x'],
  y: ['y'],
  p: ['p', 'polarity', 'pol', 'on', 'is_increase'],
} as const;

/** `<i8`, `>u2`, `|u1`, `?`, `<f8`: kind, size, endianness; or a message. */
function parseTypeString(type: string): Omit<NpyField, 'name' | 'offset'> | string {
  if (type === '?' || type === '|b1' || type === 'b1') return { kind: 'b', size: 1, littleEndian: true };
  const m = /^([<>|=]?)([iuf])(\d+)$/.exec(type);
  if (!m) return `field type ${JSON.stringify(type)} is not an integer, bool or float`;
  const size = Number(m[3]);
  const kind = m[2] as 'i' | 'u' | 'f';
  const ok = kind === 'f' ? size === 4 || size === 8 : [1, 2, 4, 8].includes(size);
  if (!ok) return `field type ${type} has an unsupported size`;
  return { kind, size, littleEndian: m[1] !== '>' };
}

/**
 * The t, x, y, p fields of a structured dtype (list form `[('t','<i8'), …]` with padding fields, or dict form
 * `{'names', 'formats', 'offsets', 'itemsize'}`), in any order and under the usual aliases; or a message.
 */
export function recordLayout(descr: PyValue): NpyRecordLayout | string {
  const fields: NpyField[] = [];
  let itemSize = 0;
  if (Array.isArray(descr)) {
    for (const entry of descr) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
        return `dtype entry ${JSON.stringify(entry)} is not (name, type)`;
      }
      const size = /(\d+)$/.exec(entry[1]);
      const width = entry[1] === '?' ? 1 : size ? Number(size[1]) : NaN;
      if (entry.length > 2) return `dtype field ${entry[0]} is a sub-array, not a scalar`;
      if (!Number.isFinite(width)) return `dtype field ${entry[0]} has type ${entry[1]} of unknown size`;
      if (entry[0] !== '' && !entry[1].includes('V')) {
        const type = parseTypeString(entry[1]);
        if (typeof type === 'string') return `${entry[0]}: ${type}`;
        fields.push({ name: entry[0], offset: itemSize, ...type });
      }
      itemSize += width;
    }
  } else if (descr && typeof descr === 'object') {
    const { names, formats, offsets, itemsize } = descr as Record<string, PyValue>;
    if (!Array.isArray(names) || !Array.isArray(formats) || !Array.isArray(offsets) || typeof itemsize !== 'number') {
      return 'dtype dict needs names, formats, offsets and itemsize';
    }
    for (let k = 0; k < names.length; k++) {
      const type = parseTypeString(String(formats[k]));
      if (typeof type === 'string') return `${String(names[k])}: ${type}`;
      fields.push({ name: String(names[k]), offset: Number(offsets[k]), ...type });
    }
    itemSize = itemsize;
  } else {
    return `dtype ${JSON.stringify(descr)} is not a structured dtype with t, x, y, p fields`;
  }
  const pick = (aliases: readonly string[]) => fields.find((f) => aliases.includes(f.name.toLowerCase()));
  const t = pick(ALIASES.t);
  const x = pick(ALIASES.x);
  const y = pick(ALIASES.y);
  const p = pick(ALIASES.p);
  if (!t || !x || !y || !p) {
    return `the dtype's fields (${fields.map((f) => f.name).join(', ')}) lack ${[!t && 't', !x && 'x', !y && 'y', !p && 'p'].filter(Boolean).join(', ')}`;
  }
  for (const f of [t, x, y, p]) {
    if (f.offset + f.size > itemSize) return `field ${f.name} lies outside the ${itemSize}-byte record`;
  }
  return { itemSize, t, x, y, p };
}
