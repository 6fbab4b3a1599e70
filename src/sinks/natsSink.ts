/**
 * Publishes a pipeline's output to NATS: event and spike batches as SPKF binary frames (`src/wire/eventFrame.ts`),
 * detections as JSON, on `spikeflow.<stream>.events`, `.spikes.<population>` and `.detections`. Headers carry
 * the geometry and the batch's time range so that a consumer can route or filter without decoding.
 *
 * Slow-consumer policy: publishing is fire-and-forget, so a slow or absent consumer never slows the pipeline
 * (the broker drops that consumer's backlog, not ours). While the broker is unreachable the client buffers up
 * to its reconnect buffer; a publish it refuses is counted in `dropped`. Reconnects are automatic and counted.
 * Closing the sink publishes an empty end-of-stream message (header `Spikeflow-End: 1`) on the events subject,
 * which ends a `fromNats` source. With `persist: true` a JetStream stream `SPIKEFLOW_<stream>` keeps what was published (bounded by
 * `maxBytes`), so a late consumer can replay from a time or a sequence number.
 */
import { jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { connectBroker } from '../nats/connect.ts';
import { checkToken, detectionsSubject, eventsSubject, spikesSubject } from '../nats/subjects.ts';
import { encodeEventFrame, encodeSpikeFrame } from '../wire/eventFrame.ts';
import type { Sink, SinkStats, StreamItem } from './types.ts';

export interface NatsSinkOptions {
  readonly url: string;
  /** Subject token naming this stream (camera, run…). */
  readonly stream: string;
  /** Which kinds to publish (default all). */
  readonly kinds?: readonly StreamItem['kind'][];
  /** Keep the published messages in a JetStream stream for late consumers. */
  readonly persist?: boolean;
  /** Size bound of the persisted stream (default 1 GiB; oldest messages are discarded first). */
  readonly maxBytes?: number;
}

/** Header of the empty message that ends an event stream. */
export const END_HEADER = 'Spikeflow-End';

export const persistedStreamName = (stream: string) => `SPIKEFLOW_${checkToken('stream', stream)}`;

export async function natsSink(options: NatsSinkOptions): Promise<Sink> {
  checkToken('stream', options.stream);
  const kinds = new Set(options.kinds ?? ['events', 'spikes', 'detections']);
  const broker = await connectBroker(options.url, `spikeflow-sink:${options.stream}`);
  const { nc } = broker;
  if (options.persist) {
    const jsm = await jetstreamManager(nc);
    await jsm.streams
      .add({
        name: persistedStreamName(options.stream),
        subjects: [`spikeflow.${options.stream}.>`],
        retention: RetentionPolicy.Limits,
        max_bytes: options.maxBytes ?? 1 << 30,
      })
      .catch(async () => jsm.streams.info(persistedStreamName(options.stream)));
  }
  let written = 0;
  let dropped = 0;
  let bytes = 0;

  const publish = (subject: string, payload: Uint8Array | string, h: Record<string, string>) => {
    const hdrs = natsHeaders();
    for (const [k, v] of Object.entries(h)) hdrs.set(k, v);
    try {
      nc.publish(subject, payload, { headers: hdrs });
      written++;
      bytes += typeof payload === 'string' ? payload.length : payload.byteLength;
    } catch {
      dropped++;
    }
  };

  return {
    name: 'nats',
    write(item: StreamItem): void {
      if (!kinds.has(item.kind)) return;
      if (item.kind === 'events') {
        const e = item.events;
        if (e.length === 0) return;
        publish(eventsSubject(options.stream), encodeEventFrame(e), {
          'Spikeflow-Width': String(e.width),
          'Spikeflow-Height': String(e.height),
          'Spikeflow-T-First': String(e.t[0]),
          'Spikeflow-T-Last': String(e.t[e.length - 1]),
          'Spikeflow-Count': String(e.length),
        });
      } else if (item.kind === 'spikes') {
        const s = item.spikes;
        publish(spikesSubject(options.stream, s.population), encodeSpikeFrame(s), {
          'Spikeflow-T-First': String(s.length > 0 ? s.t[0] : s.until),
          'Spikeflow-T-Last': String(s.length > 0 ? s.t[s.length - 1] : s.until),
          'Spikeflow-Until': String(s.until),
          'Spikeflow-Count': String(s.length),
        });
      } else {
        const d = item.detections;
        publish(detectionsSubject(options.stream), JSON.stringify(d), {
          'Spikeflow-Width': String(d.width),
          'Spikeflow-Height': String(d.height),
          'Spikeflow-T-First': String(d.t),
          'Spikeflow-T-Last': String(d.t),
          'Spikeflow-Count': String(d.boxes.length),
        });
      }
    },
    async close(): Promise<SinkStats> {
      if (kinds.has('events')) publish(eventsSubject(options.stream), new Uint8Array(0), { [END_HEADER]: '1' });
      await nc.flush().catch(() => undefined);
      await broker.close();
      // The end-of-stream message is bookkeeping, not output.
      return { written: kinds.has('events') ? written - 1 : written, dropped, bytes, reconnects: broker.counters.reconnects };
    },
  };
}
