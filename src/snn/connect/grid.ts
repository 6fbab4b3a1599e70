import { ConfigError } from '../../errors.ts';
import { SynapseListBuilder, type SynapseList } from '../synapseList.ts';
import { optionalInteger } from './options.ts';
import type { PopulationRef } from './populationRef.ts';
import { formatShape, neuronIndex, sameShape, type Shape } from './shape.ts';

/** The target must have the shape a grid projection produces (or at least its size when it gave none). */
function checkTarget(to: PopulationRef, expected: Shape, keyPath: string): void {
  const ok = to.hasShape ? sameShape(to.shape, expected) : to.size === expected[0] * expected[1] * expected[2];
  if (!ok) {
    const got = to.hasShape ? formatShape(to.shape) : `size ${to.size}`;
    throw new ConfigError(`${keyPath}.to`, to.name, `a population of shape ${formatShape(expected)} (it has ${got})`);
  }
}

function readKernel(value: unknown, keyPath: string): number[][] {
  const bad = (): never => {
    throw new ConfigError(`${keyPath}.kernel`, value, 'a non-empty array of equal-length rows of numbers, odd width and height');
  };
  if (!Array.isArray(value) || value.length === 0 || value.length % 2 === 0) bad();
  const rows = value as unknown[];
  const width = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : 0;
  if (width === 0 || width % 2 === 0) bad();
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== width || row.some((x) => typeof x !== 'number' || !Number.isFinite(x))) bad();
  }
  return rows as number[][];
}

/**
 * 2-D convolution per channel: target (ox, oy, c) sums source (ox*stride + dx, oy*stride + dy, c) weighted by
 * kernel[dy + ry][dx + rx] * scale (kernel centred; zero entries make no synapse). With mergeChannels every
 * channel feeds the single output channel.
 */
export function connectConv2d(
  from: PopulationRef,
  to: PopulationRef,
  spec: { kernel?: unknown; stride?: unknown; mergeChannels?: unknown },
  scale: number,
  keyPath: string,
): SynapseList {
  const kernel = readKernel(spec.kernel, keyPath);
  const stride = optionalInteger(spec.stride, 1, `${keyPath}.stride`, 1);
  const [w, h, c] = from.shape;
  const outShape: Shape = [Math.ceil(w / stride), Math.ceil(h / stride), spec.mergeChannels === true ? 1 : c];
  checkTarget(to, outShape, keyPath);
  const ry = (kernel.length - 1) / 2;
  const rx = (kernel[0].length - 1) / 2;
  const out = new SynapseListBuilder();
  // Rows by pre (source) neuron: walk sources, then the outputs whose receptive field contains them.
  for (let ch = 0; ch < c; ch++) {
    const oc = outShape[2] === 1 ? 0 : ch;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const pre = neuronIndex(from.shape, x, y, ch);
        for (let ky = 0; ky < kernel.length; ky++) {
          const sy = y - (ky - ry); // oy * stride = y - dy
          if (sy < 0 || sy % stride !== 0) continue;
          const oy = sy / stride;
          if (oy >= outShape[1]) continue;
          for (let kx = 0; kx < kernel[0].length; kx++) {
            const k = kernel[ky][kx];
            if (k === 0) continue;
            const sx = x - (kx - rx);
            if (sx < 0 || sx % stride !== 0) continue;
            const ox = sx / stride;
            if (ox >= outShape[0]) continue;
            out.add(pre, neuronIndex(outShape, ox, oy, oc), k * scale);
          }
        }
      }
    }
  }
  return out.finish();
}

/** Sum pooling: source (x, y, c) feeds target (floor(x/size), floor(y/size), c) with `weight`. */
export function connectPool2d(
  from: PopulationRef,
  to: PopulationRef,
  spec: { size?: unknown; mergeChannels?: unknown },
  weight: number,
  keyPath: string,
): SynapseList {
  const size = optionalInteger(spec.size, 2, `${keyPath}.size`, 1);
  const [w, h, c] = from.shape;
  const outShape: Shape = [Math.ceil(w / size), Math.ceil(h / size), spec.mergeChannels === true ? 1 : c];
  checkTarget(to, outShape, keyPath);
  const out = new SynapseListBuilder();
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const target = neuronIndex(outShape, Math.floor(x / size), Math.floor(y / size), outShape[2] === 1 ? 0 : ch);
        out.add(neuronIndex(from.shape, x, y, ch), target, weight);
      }
    }
  }
  return out.finish();
}

/**
 * Local lateral inhibition / winner-take-all: each neuron reaches every other neuron (all channels) whose grid
 * position is within `radius` (Chebyshev distance), with `weight` (negative to inhibit). Never itself.
 * A radius of at least the grid size makes a global winner-take-all.
 */
export function connectLateralInhibition(
  from: PopulationRef,
  to: PopulationRef,
  spec: { radius?: unknown },
  weight: number,
  keyPath: string,
): SynapseList {
  checkTarget(to, from.shape, keyPath);
  const radius = optionalInteger(spec.radius, 1, `${keyPath}.radius`, 0);
  const [w, h, c] = from.shape;
  const out = new SynapseListBuilder();
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const pre = neuronIndex(from.shape, x, y, ch);
        for (let tc = 0; tc < c; tc++) {
          for (let ty = Math.max(0, y - radius); ty <= Math.min(h - 1, y + radius); ty++) {
            for (let tx = Math.max(0, x - radius); tx <= Math.min(w - 1, x + radius); tx++) {
              const post = neuronIndex(from.shape, tx, ty, tc);
              if (post !== pre) out.add(pre, post, weight);
            }
          }
        }
      }
    }
  }
  return out.finish();
}
