import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/runPipeline.ts';
import { natsSink } from '../../src/sinks/natsSink.ts';
import { fromFile } from '../../src/sources/fromFile.ts';
import { describeInput } from '../../src/sources/parseInput.ts';
import { parseReplay } from '../../src/sources/fromNats.ts';
import { hasNatsServer, NO_NATS, startNatsServer, type NatsServerHandle } from '../helpers/natsServer.ts';
import { bundled, REPO } from '../helpers/shared.ts';

describe('nats:// inputs', () => {
  it('parse into server, stream and replay point', () => {
    expect(describeInput('nats://127.0.0.1:4222/cam1')).toEqual({ kind: 'nats', url: 'nats://127.0.0.1:4222', stream: 'cam1' });
    expect(describeInput('nats://broker:4222/cam-2?replay=all')).toMatchObject({ stream: 'cam-2', replay: 'all' });
    expect(parseReplay('all')).toEqual({ startSequence: 1 });
    expect(parseReplay('42')).toEqual({ startSequence: 42 });
    expect(parseReplay('2026-11-28T10:00:00Z')).toEqual({ startTime: new Date('2026-11-28T10:00:00Z') });
    expect(() => parseReplay('yesterday')).toThrow(/source.replay: "yesterday" is not allowed/);
  });
});

describe.skipIf(!hasNatsServer)(`a pipeline fed through NATS (${hasNatsServer ? 'nats-server found' : NO_NATS})`, () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('gives the same detections as the same pipeline on the file', async () => {
    const recording = bundled('dat/expelliarmus_NCARS_obj_004397_td.dat');
    const pipeline = join(REPO, 'pipelines/detect.json');
    const work = mkdtempSync(join(tmpdir(), 'sf-natspipe-'));

    // Camera host: publish the recording (in the file source's own batches) into a persisted stream.
    const sink = await natsSink({ url: server.url, stream: 'ncars', persist: true, kinds: ['events'] });
    let published = 0;
    await lastValueFrom(fromFile(recording).pipe(tap((events) => ((published += events.length), sink.write({ kind: 'events', events })))));
    await sink.close();
    expect(published).toBe(4407);

    // Compute host: the same pipeline, reading the stream from its start; it ends at the end-of-stream message.
    const viaNats = await runPipeline(pipeline, { input: `${server.url}/ncars?replay=all`, out: join(work, 'nats') });
    const viaFile = await runPipeline(pipeline, { input: recording, out: join(work, 'file') });
    expect(viaNats.events).toBe(4407);
    expect(viaFile.events).toBe(4407);
    const detections = (dir: string) => readFileSync(join(work, dir, 'detections.ndjson'), 'utf8');
    expect(detections('file').length).toBeGreaterThan(0);
    expect(detections('nats')).toBe(detections('file'));
    expect(viaNats.spikes).toBe(viaFile.spikes);
  }, 60_000);
});
