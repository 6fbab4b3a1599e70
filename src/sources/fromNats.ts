/**
 * Event batches published by another spikeflow process (`natsSink`) on `spikeflow.<stream>.events`.
 *
 * Live (default): a hot source — batches published while subscribed are delivered as they come. They are
 * handed on synchronously, so nothing queues inside this process; if the pipeline is too slow the broker's
 * slow-consumer protection drops messages, which the connection reports and we count in `dropped`.
 * Replay: with `replay` (a start time or sequence) the batches come from the JetStream stream that a
 * `persist: true` sink keeps, starting there, through an ordered consumer.
 * The stream completes on the publisher's end-of-stream message, or after `idleTimeoutMs` without a batch.
 */
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { Observable } from 'rxjs';
import { ConfigError, ExternalError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import { connectBroker } from '../nats/connect.ts';
import { eventsSubject } from '../nats/subjects.ts';
import { END_HEADER, persistedStreamName } from '../sinks/natsSink.ts';
import { decodeFrame } from '../wire/eventFrame.ts';

export interface FromNatsOptions {
  readonly url: string;
  readonly stream: string;
  readonly replay?: { readonly startTime?: Date; readonly startSequence?: number };
  /** Complete when no batch came for this long (default: wait for the end-of-stream message). */
  readonly idleTimeoutMs?: number;
  /** Receives counters (batches, dropped, reconnects) when the source ends. */
  readonly onStats?: (stats: { batches: number; dropped: number; reconnects: number }) => void;
}

/** `all`, a sequence number (1 = the first message) or an ISO 8601 time, as given in a pipeline or URL. */
export function parseReplay(text: string): NonNullable<FromNatsOptions['replay']> {
  if (text === 'all') return { startSequence: 1 };
  if (/^[1-9][0-9]*$/.test(text)) return { startSequence: Number(text) };
  const time = new Date(text);
  if (!Number.isNaN(time.getTime()) && /^\d{4}-\d{2}-\d{2}/.test(text)) return { startTime: time };
  throw new ConfigError('source.replay', text, '"all", a sequence number >= 1 or an ISO 8601 time');
}

export function fromNats(options: FromNatsOptions): Observable<EventBatch> {
  const subject = eventsSubject(options.stream);
  return new Observable<EventBatch>((subscriber) => {
    let closed = false;
    let batches = 0;
    let dropped = 0;
    let finish: (() => Promise<void>) | undefined;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      if (options.idleTimeoutMs === undefined) return;
      clearTimeout(idle);
      idle = setTimeout(() => subscriber.complete(), options.idleTimeoutMs);
    };
    armIdle();
    /** Returns false at the end of the stream. */
    const deliver = (data: Uint8Array, end: boolean): boolean => {
      if (end) {
        subscriber.complete();
        return false;
      }
      armIdle();
      const frame = decodeFrame(data, `nats:${subject}`);
      if (frame.kind !== 'events') throw new ExternalError(`${subject}: expected event frames, got ${frame.kind}`);
      batches++;
      subscriber.next(frame.events);
      return true;
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
          if (closed || !deliver(m.data, m.headers?.get(END_HEADER) === '1')) break;
        }
      } else {
        nc.subscribe(subject, {
          callback: (error, message) => {
            if (closed) return;
            if (error) subscriber.error(error);
            else {
              try {
                deliver(message.data, message.headers?.get(END_HEADER) === '1');
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
      clearTimeout(idle);
      void finish?.();
    };
  });
}
