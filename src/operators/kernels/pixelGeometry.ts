import { SpikeflowError } from '../../errors.ts';
import type { Geometry } from '../../events/geometry.ts';

/**
 * Kernels with per-pixel state size it from the first batch's geometry. A stream's geometry never changes;
 * if it does anyway, the state would index the wrong pixels, so the stream ends with this error.
 */
export function checkSameGeometry(state: Geometry, batch: Geometry, filter: string): void {
  if (state.width !== batch.width || state.height !== batch.height) {
    throw new SpikeflowError(
      `${filter}: the stream's geometry changed from ${state.width}x${state.height} to ${batch.width}x${batch.height}`,
    );
  }
}
