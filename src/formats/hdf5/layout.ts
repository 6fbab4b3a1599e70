import { DecodeError } from '../../errors.ts';
import { checkFilters, type FilterInfo } from './filters.ts';
import { columnReader, type NumericMeta } from './rawColumn.ts';
import type { FieldReader } from '../npy/readField.ts';

/** Where the four columns live: one dataset each (DSEC) or members of one compound dataset (Prophesee). */
export interface ColumnSource {
  readonly dataset: string;
  readonly elementSize: number;
  readonly read: FieldReader;
}

export interface EventLayout {
  readonly kind: 'dsec' | 'prophesee';
  readonly count: number;
  readonly t: ColumnSource;
  readonly x: ColumnSource;
  readonly y: ColumnSource;
  readonly p: ColumnSource;
}

/** The slice of h5wasm's Dataset API used here. */
export interface DatasetLike {
  readonly metadata: NumericMeta & { shape: number[] | null; compound_type?: { members: (NumericMeta & { name: string; offset: number })[] } };
  readonly filters: FilterInfo[];
}

type Getter = (path: string) => DatasetLike | undefined;

/**
 * Finds the event columns: `/events/{x,y,t,p}` (DSEC) or `/CD/events` with members x, y, p, t (Prophesee).
 * Checks filters first so a blosc/ECF dataset is refused by name.
 */
export function findLayout(file: string, get: Getter, keys: readonly string[]): EventLayout {
  const cd = get('/CD/events');
  if (cd) {
    checkFilters(file, '/CD/events', cd.filters);
    const members = cd.metadata.compound_type?.members;
    if (!members) throw new DecodeError(file, 0, '/CD/events is not a compound dataset with x, y, p, t members');
    const column = (name: string): ColumnSource => {
      const m = members.find((k) => k.name === name);
      if (!m) throw new DecodeError(file, 0, `/CD/events has no member "${name}" (members: ${members.map((k) => k.name).join(', ')})`);
      const read = columnReader(m);
      if (typeof read === 'string') throw new DecodeError(file, 0, `/CD/events member ${name}: ${read}`);
      return { dataset: '/CD/events', elementSize: cd.metadata.size, read };
    };
    return { kind: 'prophesee', count: length(file, '/CD/events', cd), t: column('t'), x: column('x'), y: column('y'), p: column('p') };
  }
  const column = (name: string): ColumnSource & { count: number } => {
    const path = `/events/${name}`;
    const ds = get(path);
    if (!ds) {
      throw new DecodeError(file, 0, `no ${path} dataset: expected the DSEC layout (/events/{x,y,t,p}) or Prophesee's /CD/events (top level: ${keys.join(', ')})`);
    }
    checkFilters(file, path, ds.filters);
    const read = columnReader({ ...ds.metadata, offset: 0 });
    if (typeof read === 'string') throw new DecodeError(file, 0, `${path}: ${read}`);
    return { dataset: path, elementSize: ds.metadata.size, read, count: length(file, path, ds) };
  };
  const t = column('t');
  const x = column('x');
  const y = column('y');
  const p = column('p');
  if (x.count !== t.count || y.count !== t.count || p.count !== t.count) {
    throw new DecodeError(file, 0, `/events columns differ in length: t=${t.count} x=${x.count} y=${y.count} p=${p.count}`);
  }
  return { kind: 'dsec', count: t.count, t, x, y, p };
}

function length(file: string, path: string, ds: DatasetLike): number {
  const shape = ds.metadata.shape;
  if (!shape || shape.length !== 1) throw new DecodeError(file, 0, `${path} has shape ${JSON.stringify(shape)}, not one-dimensional`);
  return shape[0]!;
}
