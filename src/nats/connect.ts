import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ExternalError } from '../errors.ts';

/** A broker connection plus what happened to it: reconnects are automatic and counted, never fatal. */
export interface BrokerConnection {
  readonly nc: NatsConnection;
  readonly counters: { reconnects: number; disconnects: number };
  close(): Promise<void>;
}

export async function connectBroker(url: string, name = 'spikeflow'): Promise<BrokerConnection> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5_000 });
  } catch (error) {
    throw new ExternalError(`cannot connect to the NATS server at ${url}: ${(error as Error).message}`, { cause: error });
  }
  const counters = { reconnects: 0, disconnects: 0 };
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'reconnect') counters.reconnects++;
      else if (status.type === 'disconnect') counters.disconnects++;
    }
  })();
  return {
    nc,
    counters,
    async close() {
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
