import { describe, expect, it } from 'vitest';
import { MinCostFlow } from './min-cost-flow.js';

describe('MinCostFlow', () => {
  it('finds the cheapest way to send 5 units through a four-node network (19 by hand)', () => {
    // s->b->t 2 units at 3, s->a->b->t 2 at 4, s->a->t 1 at 5: 6 + 8 + 5 = 19. Sending a's 3
    // units straight to t instead would cost 3 x 5 + 2 x 3 = 21.
    const [s, a, b, t] = [0, 1, 2, 3];
    const network = new MinCostFlow(4);
    const sa = network.addArc(s, a, 4, 2);
    const sb = network.addArc(s, b, 2, 2);
    const ab = network.addArc(a, b, 2, 1);
    const at = network.addArc(a, t, 3, 3);
    const bt = network.addArc(b, t, 5, 1);
    expect(network.solve(s, t, 5)).toEqual({ flow: 5, cost: 19 });
    expect([sa, sb, ab, at, bt].map((arc) => network.flowOn(arc))).toEqual([3, 2, 2, 1, 4]);
  });

  it('undoes an early cheap choice when a later demand needs it more (where a greedy fails)', () => {
    // Two buses of 10 kWh: A may charge in slots 1 or 2, B in 2 or 3; prices 5, 1, 10 per kWh,
    // 10 kWh per slot. Greedy in departure order gives A the cheap slot 2 and B slot 3: 110.
    // The optimum charges A in slot 1 and B in slot 2: 50 + 10 = 60.
    const [source, busA, busB, slot1, slot2, slot3, sink] = [0, 1, 2, 3, 4, 5, 6];
    const network = new MinCostFlow(7);
    network.addArc(source, busA, 10, 0);
    network.addArc(source, busB, 10, 0);
    const a1 = network.addArc(busA, slot1, 10, 0);
    network.addArc(busA, slot2, 10, 0);
    const b2 = network.addArc(busB, slot2, 10, 0);
    network.addArc(busB, slot3, 10, 0);
    network.addArc(slot1, sink, 10, 5);
    network.addArc(slot2, sink, 10, 1);
    network.addArc(slot3, sink, 10, 10);
    expect(network.solve(source, sink, 20)).toEqual({ flow: 20, cost: 60 });
    expect([network.flowOn(a1), network.flowOn(b2)]).toEqual([10, 10]);
  });

  it('sends what the network can carry when asked for more, with fractional capacities', () => {
    const network = new MinCostFlow(3);
    network.addArc(0, 1, 2.5, 1);
    network.addArc(1, 2, 1.25, 2);
    expect(network.solve(0, 2, 10)).toEqual({ flow: 1.25, cost: 3.75 });
  });

  it('refuses negative costs, which its potentials cannot handle', () => {
    expect(() => new MinCostFlow(2).addArc(0, 1, 1, -1)).toThrow(/costs must be >= 0/);
  });
});
