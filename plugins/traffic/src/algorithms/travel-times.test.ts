import { describe, expect, it } from 'vitest';
import { RoadNetwork } from './road-network.js';
import { gridNetwork } from '../test-fixtures.js';
import { fastestFrom } from './travel-times.js';

describe('fastestFrom', () => {
  it('reaches every node of the grid at 50 s and 500 m per street, and not the island', () => {
    const reach = fastestFrom(new RoadNetwork(gridNetwork()), 'n00');
    expect(reach.get('n00')).toEqual({ timeS: 0, lengthM: 0 });
    expect(reach.get('n01')).toEqual({ timeS: 50, lengthM: 500 });
    expect(reach.get('n11')).toEqual({ timeS: 100, lengthM: 1000 });
    expect(reach.get('n22')).toEqual({ timeS: 200, lengthM: 2000 });
    expect(reach.has('island')).toBe(false);
    expect(reach.size).toBe(9);
  });

  it('follows live speeds: the fastest route, and its length, not the shortest', () => {
    const network = new RoadNetwork(gridNetwork());
    // 5 km/h on n00 -> n01 makes its 500 m take 360 s; n00 -> n10 -> n11 -> n01 takes 150 s over 1500 m.
    network.setLinkSpeed('n00-n01', 5);
    expect(fastestFrom(network, 'n00').get('n01')).toEqual({ timeS: 150, lengthM: 1500 });
    // The other direction is not slowed.
    expect(fastestFrom(network, 'n01').get('n00')).toEqual({ timeS: 50, lengthM: 500 });
  });

  it('refuses an unknown node', () => {
    expect(() => fastestFrom(new RoadNetwork(gridNetwork()), 'nowhere')).toThrow(/fromNode: unknown node "nowhere"/);
  });
});
