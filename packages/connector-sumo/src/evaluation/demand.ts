import { writeFile } from 'node:fs/promises';
import type { PolisRoadNetwork } from '../network/sumo-network.js';

/** A small, fast, seeded PRNG (mulberry32): one seed, one demand. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemandOptions {
  /** Vehicles entering the network per hour. */
  readonly vehiclesPerHour: number;
  readonly durationS: number;
  readonly seed: number;
}

/**
 * Writes seeded trips: departures a Poisson process at the given rate, each from a random link
 * to another random link at least two blocks away (SUMO routes each trip at departure on
 * free-flow times). Returns the number of trips.
 */
export async function writeTrips(file: string, network: PolisRoadNetwork, options: DemandOptions): Promise<number> {
  const random = seededRandom(options.seed);
  const nodes = new Map(network.nodes.map((node) => [node.id, node]));
  const apart = (a: string, b: string) => {
    const p = nodes.get(a)!;
    const q = nodes.get(b)!;
    return Math.abs(p.lat - q.lat) + Math.abs(p.lon - q.lon);
  };
  const minApart = 2 * Math.min(...network.links.map((link) => apart(link.from, link.to) || Number.POSITIVE_INFINITY)) * 0.99;
  const trips: string[] = [];
  let timeS = 0;
  for (let k = 0; ; k++) {
    timeS += -Math.log(1 - random()) * (3600 / options.vehiclesPerHour);
    if (timeS >= options.durationS) break;
    const from = network.links[Math.floor(random() * network.links.length)]!;
    let to = network.links[Math.floor(random() * network.links.length)]!;
    for (let tries = 0; apart(from.to, to.from) < minApart && tries < 20; tries++) to = network.links[Math.floor(random() * network.links.length)]!;
    trips.push(`  <trip id="v${k}" depart="${timeS.toFixed(2)}" from="${from.id}" to="${to.id}" departLane="best" departSpeed="max"/>`);
  }
  await writeFile(file, `<routes>\n  <vType id="emergency" vClass="emergency" speedFactor="1.2" jmDriveRedSpeed="2.78" guiShape="emergency">\n    <param key="has.bluelight.device" value="true"/>\n  </vType>\n  <vType id="blocker" vClass="passenger" color="red"/>\n${trips.join('\n')}\n</routes>\n`);
  return trips.length;
}
