/**
 * AEDAT 4.0 decode throughput (million events per second) on the only real AEDAT 4 file (tonic
 * sample.aedat4: 111,954 events, LZ4, 949 KB), and LZ4 frame decoding alone (MB/s of output):
 * - from memory: the file's bytes fed in 1 MiB chunks to a fresh decoder, repeated for ≥ BENCH_SECONDS (2);
 * - from disk: the file source (openEventFile), repeated for ≥ 1 s (the page cache makes this a read path
 *   cost, not a disk cost);
 * - floor: the same bytes summed in JS, expressed per event of this file;
 * - ratio against the C + liblz4 peer measured on this machine (190 Mev/s; target ≥ 95).
 * Rates are given by wall time and by process CPU time (robust when other processes share the 2 cores).
 * AEDAT 2.0 and 3.1 are measured too, on the real events re-encoded (no large real file exists).
 *
 *   npx tsx bench/run.ts formats-inivation
 */
import { readFileSync } from 'node:fs';
import { Lz4FrameDecoder } from '../src/codecs/lz4Frame.ts';
import { concatBatches, makeBatch, type EventBatch } from '../src/events/eventBatch.ts';
import type { EventDecoder } from '../src/formats/types.ts';
import { Aedat2Decoder } from '../src/formats/aedat2/decoder.ts';
import { Aedat2Encoder } from '../src/formats/aedat2/encoder.ts';
import { Aedat3Decoder } from '../src/formats/aedat3/decoder.ts';
import { Aedat3Encoder } from '../src/formats/aedat3/encoder.ts';
import { Aedat4Decoder } from '../src/formats/aedat4/decoder.ts';
import { openEventFile } from '../src/sources/openEventFile.ts';
import { bundled } from '../test/helpers/shared.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CHUNK = 1 << 20;
const PEER_MEVS = 190;
const TARGET_MEVS = 95;

interface Rate {
  wall: number;
  cpu: number;
  runs: number;
}

/** Repeats `run` (returning a count) for at least `seconds`; count per second by wall and by CPU time. */
function measure(seconds: number, run: () => number): Rate {
  let runs = 0;
  let count = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  do {
    count += run();
    runs++;
  } while (performance.now() - start < seconds * 1000);
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1e6;
  return { wall: count / wall, cpu: count / cpu, runs };
}

function decodeAll(make: () => EventDecoder, bytes: Uint8Array): number {
  const decoder = make();
  let n = 0;
  for (let o = 0; o < bytes.length; o += CHUNK) n += decoder.push(bytes.subarray(o, o + CHUNK)).length;
  return n + decoder.end().length;
}

const mev = (r: Rate) => ({ mevPerSecond: round(r.wall / 1e6), mevPerCpuSecond: round(r.cpu / 1e6), runs: r.runs });
const round = (v: number) => Math.round(v * 10) / 10;
const ratio = (v: number) => Math.round(v * 1000) / 1000;

/** LZ4 frames of every packet (and the data table) of an AEDAT 4 file, for the codec-only figure. */
function lz4Frames(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Uint8Array[] = [];
  let at = 18 + view.getUint32(14, true);
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at + 4, true);
    if (view.getUint32(at, true) === 0x184d2204) break; // the data table (a bare frame) is next
    frames.push(bytes.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return frames;
}

export default async function bench(): Promise<Record<string, unknown>> {
  const path = bundled('aedat4/tonic_sample.aedat4');
  const bytes = new Uint8Array(readFileSync(path));
  const make = () => new Aedat4Decoder({ file: path });
  const events = decodeAll(make, bytes);

  measure(0.3, () => decodeAll(make, bytes)); // warm-up: let the JIT optimise before timing
  const memory = measure(SECONDS, () => decodeAll(make, bytes));
  const disk = await (async () => {
    let runs = 0;
    let count = 0;
    const start = performance.now();
    do {
      const file = await openEventFile(path);
      for await (const batch of file.batches()) count += batch.length;
      runs++;
    } while (performance.now() - start < 1000);
    return { mevPerSecond: round(count / ((performance.now() - start) / 1000) / 1e6), runs };
  })();
  const floor = measure(SECONDS, () => {
    let sum = 0;
    for (let i = 0; i < bytes.length; i++) sum += bytes[i]!;
    return sum >= 0 ? events : 0;
  });
  const frames = lz4Frames(bytes);
  const lz4 = new Lz4FrameDecoder();
  const lz4Rate = measure(SECONDS, () => {
    let out = 0;
    for (const f of frames) out += lz4.decode(f).length;
    return out;
  });

  // AEDAT 2.0 / 3.1: the same events re-encoded (times rebased for AEDAT 2.0's 32-bit field).
  const all = concatBatches([(() => {
    const d = make();
    const b = d.push(bytes);
    d.end();
    return b;
  })()]);
  const rebased = makeBatch(all, all.t.map((t) => t - all.t[0]!), all.x, all.y, all.p);
  const a2 = encode(new Aedat2Encoder({ width: 320, height: 240, creationTimeMs: 0 }), rebased);
  const a3 = encode(new Aedat3Encoder({ width: 320, height: 240 }), all);
  const aedat2 = measure(SECONDS / 2, () => decodeAll(() => new Aedat2Decoder({ file: 'a2' }), a2));
  const aedat3 = measure(SECONDS / 2, () => decodeAll(() => new Aedat3Decoder({ file: 'a3' }), a3));

  return {
    file: 'recordings/aedat4/tonic_sample.aedat4',
    events,
    aedat4: {
      memory: mev(memory),
      disk,
      floorByteSum: mev(floor),
      ratioToPeer: ratio(memory.wall / 1e6 / PEER_MEVS),
      ratioToPeerByCpu: ratio(memory.cpu / 1e6 / PEER_MEVS),
      peerMevPerSecond: PEER_MEVS,
      targetMevPerSecond: TARGET_MEVS,
      meetsTarget: memory.wall / 1e6 >= TARGET_MEVS,
    },
    lz4: { outputMBPerSecond: round(lz4Rate.wall / 1e6), outputMBPerCpuSecond: round(lz4Rate.cpu / 1e6), frames: frames.length },
    aedat2: { ...mev(aedat2), note: 'the AEDAT 4 sample re-encoded as DAVIS-layout AEDAT 2.0' },
    aedat3: { ...mev(aedat3), note: 'the AEDAT 4 sample re-encoded as AEDAT 3.1 polarity packets' },
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function encode(encoder: { header(): Uint8Array; encode(b: EventBatch): Uint8Array; end(): Uint8Array }, batch: EventBatch): Uint8Array {
  return new Uint8Array(Buffer.concat([encoder.header(), encoder.encode(batch), encoder.end()]));
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await bench(), null, 2));
