import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../src/events/eventBatch.ts';
import { colormapTable } from '../../src/readout/colormaps.ts';
import { overlayBoxes } from '../../src/readout/overlayBoxes.ts';
import { renderGrid } from '../../src/readout/renderGrid.ts';
import { SpikeMapper } from '../../src/readout/spikeMapper.ts';
import { SpikeMapWriter } from '../../src/readout/spikeMapWriter.ts';
import { TimeSurface } from '../../src/readout/timeSurface.ts';
import { ConfigError } from '../../src/errors.ts';

const spikes = (t: number[], neuron: number[], until: number) => ({
  t: Float64Array.from(t),
  neuron: Uint32Array.from(neuron),
  length: t.length,
  population: 'p',
  until,
});

describe('colormaps', () => {
  it('have the documented ends and reject unknown names', () => {
    expect(Array.from(colormapTable('gray').subarray(765, 768))).toEqual([255, 255, 255]);
    expect(Array.from(colormapTable('viridis').subarray(0, 3))).toEqual([68, 1, 84]);
    expect(Array.from(colormapTable('viridis').subarray(765, 768))).toEqual([253, 231, 37]);
    // The diverging map is black at zero (index 127.5 → the two middle entries are near black).
    expect(Math.max(...colormapTable('onoff').subarray(127 * 3, 127 * 3 + 3))).toBeLessThan(10);
    expect(() => colormapTable('jet', 'readout.spikemaps.colormap')).toThrow(ConfigError);
  });
});

describe('renderGrid', () => {
  it('upscales cells to sensor pixels (nearest) and crops to the sensor size', () => {
    // 2×2 cells of pool 3 over a 5×4 sensor; one channel, gray; cell (1,0) is full scale.
    const rgb = renderGrid(Float32Array.from([0, 2, 0, 1]), { cellsX: 2, cellsY: 2, channels: 1, pool: 3, width: 5, height: 4 }, 'gray', 2);
    const px = (x: number, y: number) => rgb[(y * 5 + x) * 3];
    expect(rgb.length).toBe(5 * 4 * 3);
    expect([px(0, 0), px(2, 2), px(3, 0), px(4, 2), px(4, 3), px(0, 3)]).toEqual([0, 0, 255, 255, 128, 0]);
  });
  it('shows ON − OFF with the diverging map: ON warm, OFF blue', () => {
    // channels: OFF plane then ON plane; cell 0 OFF only, cell 1 ON only.
    const rgb = renderGrid(Float32Array.from([3, 0, 0, 3]), { cellsX: 2, cellsY: 1, channels: 2, pool: 1, width: 2, height: 1 }, 'onoff');
    const [r0, , b0, r1, , b1] = rgb;
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
  });
  it('draws box outlines clipped to the image', () => {
    const rgb = new Uint8Array(10 * 10 * 3);
    overlayBoxes(rgb, 10, 10, [{ id: 1, x: 2, y: 2, w: 4, h: 4, score: 1 }], [0, 255, 0], 1);
    const g = (x: number, y: number) => rgb[(y * 10 + x) * 3 + 1];
    expect([g(2, 2), g(5, 5), g(3, 3), g(6, 6), g(5, 2)]).toEqual([255, 255, 0, 0, 255]);
    overlayBoxes(rgb, 10, 10, [{ id: 2, x: 8, y: 8, w: 9, h: 9, score: 1 }]);
    expect(g(9, 9)).toBe(255);
  });
});

describe('SpikeMapper', () => {
  it('counts spikes per period window (t < frame time) and restarts each window', () => {
    const mapper = new SpikeMapper(3, { mode: 'count', periodUs: 10, tauUs: 1 });
    const frames = mapper.push(spikes([3, 5, 9, 10, 12, 25], [0, 0, 2, 1, 1, 2], 30));
    expect(frames.map((f) => [f.t, Array.from(f.values)])).toEqual([
      [10, [2, 0, 1]],
      [20, [0, 2, 0]],
      [30, [0, 0, 1]],
    ]);
  });
  it('decays traces exponentially', () => {
    const mapper = new SpikeMapper(1, { mode: 'trace', periodUs: 100, tauUs: 50 });
    const [frame] = mapper.push(spikes([0, 50], [0, 0], 100));
    expect(frame.values[0]).toBeCloseTo(Math.exp(-1) + Math.exp(-2), 6);
  });
});

describe('TimeSurface', () => {
  it('shows exp(-age/tau) of the latest event per pixel and polarity', () => {
    const surface = new TimeSurface(2, 1, 100);
    surface.add(makeBatch({ width: 2, height: 1 }, Float64Array.from([0, 100]), Uint16Array.from([0, 1]), Uint16Array.from([0, 0]), Uint8Array.from([1, 0])));
    const v = surface.values(200);
    // OFF plane: pixel 1 at t=100; ON plane: pixel 0 at t=0.
    expect(Array.from(v).map((x) => Number(x.toFixed(6)))).toEqual([0, Number(Math.exp(-1).toFixed(6)), Number(Math.exp(-2).toFixed(6)), 0]);
  });
});

describe('SpikeMapWriter', () => {
  it('writes numbered PNGs named with their time that decode back to the sensor size with colour in them', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'spikemaps-')), 'spikemaps');
    const writer = new SpikeMapWriter({
      dir,
      grid: { cellsX: 4, cellsY: 3, channels: 1, pool: 4, width: 15, height: 10 },
      colormap: 'hot',
      every: 2,
      maxFiles: 0,
    });
    const values = new Float32Array(12);
    values[5] = 4;
    for (let k = 0; k < 3; k++) await writer.write(1000 * (k + 1), values, [{ id: 1, x: 0, y: 0, w: 3, h: 3, score: 1 }]);
    expect((await readdir(dir)).sort()).toEqual(['000000_t1000.png', '000002_t3000.png']);
    const { data, info } = await sharp(join(dir, '000002_t3000.png')).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([15, 10, 3]);
    // Cell (1,1) covers pixels x 4..7, y 4..7: full scale in 'hot' is white; the box corner is green.
    expect(Array.from(data.subarray((5 * 15 + 5) * 3, (5 * 15 + 5) * 3 + 3))).toEqual([255, 255, 255]);
    expect(Array.from(data.subarray(0, 3))).toEqual([0, 255, 0]);
    expect(data.reduce((n, v) => n + (v > 0 ? 1 : 0), 0)).toBeGreaterThan(16);
  });
});
