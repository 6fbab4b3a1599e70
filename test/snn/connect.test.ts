import { describe, expect, it } from 'vitest';
import { connectProjection } from '../../src/snn/connect/connect.ts';
import type { PopulationRef } from '../../src/snn/connect/populationRef.ts';
import type { Shape } from '../../src/snn/connect/shape.ts';
import { buildNetwork } from '../../src/snn/network.ts';
import type { ProjectionSpec } from '../../src/snn/spec.ts';
import type { SynapseList } from '../../src/snn/synapseList.ts';

const grid = (name: string, shape: Shape): PopulationRef => ({ name, size: shape[0] * shape[1] * shape[2], shape, hasShape: true });
const flat = (name: string, size: number): PopulationRef => ({ name, size, shape: [size, 1, 1], hasShape: false });
const connect = (spec: Partial<ProjectionSpec>, from: PopulationRef, to: PopulationRef) =>
  connectProjection({ from: from.name, to: to.name, delayMs: 1, ...spec }, from, to, '.', 'p');
const triples = (l: SynapseList) => Array.from({ length: l.length }, (_, s) => `${l.pre[s]}>${l.post[s]}:${l.w[s]}`).sort();
const idx = (s: Shape, x: number, y: number, c: number) => (c * s[1] + y) * s[0] + x;

describe('connect kinds', () => {
  it('one-to-one and all-to-all (with and without self)', () => {
    expect(triples(connect({ connect: 'one-to-one', weight: 2 }, flat('a', 3), flat('b', 3)))).toEqual(['0>0:2', '1>1:2', '2>2:2']);
    expect(() => connect({ connect: 'one-to-one', weight: 2 }, flat('a', 3), flat('b', 4))).toThrow('populations of equal size (a: 3, b: 4)');
    expect(connect({ connect: 'all-to-all', weight: 1 }, flat('a', 4), flat('a', 4)).length).toBe(16);
    const noSelf = connect({ connect: 'all-to-all', weight: -1, excludeSelf: true }, flat('a', 4), flat('a', 4));
    expect(noSelf.length).toBe(12);
    expect(Array.from(noSelf.pre).some((p, s) => p === noSelf.post[s])).toBe(false);
  });

  it('fixed-fanout gives each pre exactly `fanout` distinct seeded targets', () => {
    const spec = { connect: 'fixed-fanout', fanout: 30, seed: 7, weightRange: [0, 0.2] as [number, number] };
    const a = connect(spec, flat('a', 50), flat('b', 40));
    expect(a.length).toBe(50 * 30);
    for (let i = 0; i < 50; i++) {
      const posts = Array.from(a.post.subarray(i * 30, i * 30 + 30));
      expect(new Set(posts).size).toBe(30);
      expect(Array.from(a.pre.subarray(i * 30, i * 30 + 30)).every((p) => p === i)).toBe(true);
    }
    expect(Math.min(...a.w)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.w)).toBeLessThan(0.2);
    expect(triples(connect(spec, flat('a', 50), flat('b', 40)))).toEqual(triples(a));
    expect(triples(connect({ ...spec, seed: 8 }, flat('a', 50), flat('b', 40)))).not.toEqual(triples(a));
    expect(() => connect({ ...spec, fanout: 41 }, flat('a', 50), flat('b', 40))).toThrow('p.fanout: 41 is not allowed (an integer in 0..40)');
  });

  it('conv2d matches a direct per-output evaluation, with stride, channels and mergeChannels', () => {
    const kernel = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ];
    const src: Shape = [5, 4, 2];
    for (const [stride, merge] of [[1, false], [2, false], [2, true], [3, false]] as const) {
      const out: Shape = [Math.ceil(5 / stride), Math.ceil(4 / stride), merge ? 1 : 2];
      const got = connect({ connect: 'conv2d', kernel, stride, mergeChannels: merge, weight: 0.5 }, grid('in', src), grid('out', out));
      const expected: string[] = [];
      for (let c = 0; c < 2; c++) {
        for (let oy = 0; oy < out[1]; oy++) {
          for (let ox = 0; ox < out[0]; ox++) {
            for (let dy = -1; dy <= 1; dy++) {
              for (let dx = -1; dx <= 1; dx++) {
                const [x, y] = [ox * stride + dx, oy * stride + dy];
                if (x < 0 || y < 0 || x >= 5 || y >= 4) continue;
                expected.push(`${idx(src, x, y, c)}>${idx(out, ox, oy, merge ? 0 : c)}:${kernel[dy + 1][dx + 1] * 0.5}`);
              }
            }
          }
        }
      }
      expect(triples(got)).toEqual(expected.sort());
    }
    expect(() => connect({ connect: 'conv2d', kernel }, grid('in', src), grid('out', [5, 4, 1]))).toThrow(
      'p.to: "out" is not allowed (a population of shape [5, 4, 2] (it has [5, 4, 1]))',
    );
    expect(() => connect({ connect: 'conv2d', kernel: [[1, 2]] }, grid('in', src), grid('out', src))).toThrow(/odd width and height/);
  });

  it('pool2d sums blocks into ceil(W/size) x ceil(H/size)', () => {
    const got = connect({ connect: 'pool2d', size: 2, weight: 0.25 }, grid('in', [5, 3, 1]), grid('out', [3, 2, 1]));
    expect(got.length).toBe(15);
    const fanIn = new Array(6).fill(0);
    for (const p of got.post) fanIn[p]++;
    expect(fanIn).toEqual([4, 4, 2, 2, 2, 1]);
  });

  it('lateral-inhibition reaches every other neuron within the radius, never itself', () => {
    const s: Shape = [3, 3, 1];
    const got = connect({ connect: 'lateral-inhibition', radius: 1, weight: -2 }, grid('l', s), grid('l', s));
    const fanOut = new Array(9).fill(0);
    for (const p of got.pre) fanOut[p]++;
    expect(fanOut).toEqual([3, 5, 3, 5, 8, 5, 3, 5, 3]);
    expect(Array.from(got.pre).some((p, k) => p === got.post[k])).toBe(false);
    const twoChannels = connect({ connect: 'lateral-inhibition', radius: 0, weight: -1 }, grid('l', [2, 1, 2]), grid('l', [2, 1, 2]));
    expect(triples(twoChannels)).toEqual(['0>2:-1', '1>3:-1', '2>0:-1', '3>1:-1']);
  });

  it('a conv2d layer fires where the input spiked (grid index (c*H+y)*W+x end to end)', () => {
    const network = buildNetwork({
      populations: [
        { name: 'pix', model: 'source', shape: [8, 6, 1] },
        { name: 'edge', model: 'lif', shape: [8, 6, 1], tauMs: 10, threshold: 0.9, refractoryMs: 1 },
      ],
      projections: [{ from: 'pix', to: 'edge', connect: 'conv2d', kernel: [[0, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 0]], delayUs: 10 }],
    });
    const at = idx([8, 6, 1], 3, 2, 0);
    const out = network.run({ t: Float64Array.of(100, 100), neuron: Uint32Array.of(at, at + 1), length: 2, population: 'pix', until: 1000 }, 1000);
    // Each spiking pixel's own cell gets 1 + 0.5 from its neighbour; every other cell gets at most 0.5 < 0.9.
    expect(Array.from(out.spikes.edge.neuron)).toEqual([idx([8, 6, 1], 3, 2, 0), idx([8, 6, 1], 4, 2, 0)]);
    expect(Array.from(out.spikes.edge.t)).toEqual([110, 110]);
  });

  it('pool2d then lateral inhibition: a winner-take-all layer lets only the most driven cell fire', () => {
    const network = buildNetwork({
      populations: [
        { name: 'pix', model: 'source', shape: [4, 4, 1] },
        { name: 'cells', model: 'lif', shape: [2, 2, 1], tauMs: 20, threshold: 2.5, refractoryMs: 5 },
      ],
      projections: [
        { from: 'pix', to: 'cells', connect: 'pool2d', size: 2, weight: 1, delayUs: 100 },
        { from: 'cells', to: 'cells', connect: 'lateral-inhibition', radius: 2, weight: -10, delayUs: 1 },
      ],
    });
    // Three pixels of the top-left block (cell 0) and three of the bottom-right block (cell 3), cell 3's a bit
    // later: without inhibition both would fire; with it only cell 0 does, and cell 3 is pushed far below rest.
    const p = (x: number, y: number) => idx([4, 4, 1], x, y, 0);
    const input = { t: Float64Array.of(0, 0, 0, 50, 50, 50), neuron: Uint32Array.of(p(0, 0), p(1, 0), p(0, 1), p(2, 2), p(3, 2), p(3, 3)), length: 6, population: 'pix', until: 10_000 };
    const out = network.run(input, 10_000).spikes.cells;
    expect(Array.from(out.neuron)).toEqual([0]);
    expect(Array.from(out.t)).toEqual([100]);
    const alone = buildNetwork({
      populations: [
        { name: 'pix', model: 'source', shape: [4, 4, 1] },
        { name: 'cells', model: 'lif', shape: [2, 2, 1], tauMs: 20, threshold: 2.5, refractoryMs: 5 },
      ],
      projections: [{ from: 'pix', to: 'cells', connect: 'pool2d', size: 2, weight: 1, delayUs: 100 }],
    });
    expect(Array.from(alone.run(input, 10_000).spikes.cells.neuron)).toEqual([0, 3]);
  });
});
