import type { Shape } from './shape.ts';

/** What a connect kind needs to know about the two populations it joins. */
export interface PopulationRef {
  name: string;
  size: number;
  shape: Shape;
  /** True when the spec gave an explicit shape (a plain size is read as [size, 1, 1]). */
  hasShape: boolean;
}
