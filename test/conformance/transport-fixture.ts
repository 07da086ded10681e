import type { Transport } from '@polis/kernel/transport';

/** How the conformance suite gets transports: `nodes` transports that share one message system. */
export interface TransportFixture {
  readonly name: string;
  createTransports(nodes: number): Promise<Transport[]>;
}
