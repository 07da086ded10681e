import { MemoryBroker, MemoryTransport } from '@polis/kernel';
import { describeBusConformance } from './bus-conformance.js';

describeBusConformance({
  name: 'memory',
  async createTransports(nodes) {
    const broker = new MemoryBroker();
    return Array.from({ length: nodes }, () => new MemoryTransport(broker));
  },
});
