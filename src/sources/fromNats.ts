/**
 * Event batches published by another spikeflow process (`natsSink`) on `spikeflow.<stream>.events`.
 *
 * Live (default): a hot source — batches published while subscribed are delivered as they come. They are
 * handed on synchronously, so nothing queues inside this process; if the pipeline is too slow the broker's
 * slow-consumer protection drops messages, which the connection reports and we count in `dropped`.
 * Replay: with `replay` (a start time or sequence) the batches come from the JetStream stream that a
 * `persist: true` sink keeps, starting there, through an ordered consumer.
 */
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { Observable } from 'rxjs';
import { ExternalError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import { connectBroker } from '../nats/connect.ts';
import { eventsSubject } from '../nats/subjects.ts';
import { persistedStreamName } from '../sinks/natsSink.ts';
import { decodeFrame } from '../wire/eventFrame.ts';

export interface FromNatsOptions {
  readonly url: string;
  readonly stream: string;
  readonly replay?: { readonly startTime?: Date; readonly startSequence?: number };
  /** Receives counters (batches, dropped, reconnects) when the source ends. */
  readonly onStats?: (stats: { batches: number; dropped: number; reconnects: number }) => void;
}

export function fromNats(options: FromNatsOptions): Observable<EventBatch> {
  const subject = eventsSubject(options.stream);
  return new Observable<EventBatch>((subscriber) => {
    let closed = false;
    let batches = 0;
    let dropped = 0;
    let finish: (() => Promise<void>) | undefined;
    const deliver = (data: Uint8Array) => {
      const frame = decodeFrame(data, `nats:${subject}`);
      if (frame.kind !== 'events') throw new ExternalError(`${subject}: expected event frames, got ${frame.kind}`);
      batches++;
      subscriber.next(frame.events);
    };

    void (async () => {
      const broker = await connectBroker(options.url, `spikeflow-source:${options.stream}`);
      finish = async () => {
        await broker.close();
        options.onStats?.({ batches, dropped, reconnects: broker.counters.reconnects });
      };
      if (closed) return finish();
      const { nc } = broker;
      void (async () => {
        for await (const status of nc.status()) if (status.type === 'slowConsumer') dropped++;
      })();
      if (options.replay) {
        const js = jetstream(nc);
        const start = options.replay.startSequence !== undefined
          ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: options.replay.startSequence }
          : options.replay.startTime
            ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: options.replay.startTime.toISOString() }
            : { deliver_policy: DeliverPolicy.All };
        const consumer = await js.consumers.get(persistedStreamName(options.stream), { filter_subjects: subject, ...start });
        const messages = await consumer.consume();
        for await (const m of messages) {
          if (closed) break;
          deliver(m.data);
        }
      } else {
        nc.subscribe(subject, {
          callback: (error, message) => {
            if (closed) return;
            if (error) subscriber.error(error);
            else {
              try {
                deliver(message.data);
              } catch (e) {
                subscriber.error(e);
              }
            }
          },
        });
      }
    })().catch((error: unknown) => {
      if (!closed) subscriber.error(error);
    });

    return () => {
      closed = true;
      void finish?.();
    };
  });
}
