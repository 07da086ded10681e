import { safety, traffic } from '@polis/contracts';
import { Type, definePlugin } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';
import { seededRandom } from './seeded-random.js';

const StagedIncident = Type.Object({
  /** Simulated seconds after start when the crash happens. */
  atS: Type.Number({ minimum: 0 }),
  /** The link it blocks: its detectors report a queue from then on. */
  linkId: Type.String(),
  casualties: Type.Integer({ minimum: 0, default: 1 }),
  /** How long after the crash a caller reports it (with the casualties). */
  reportDelayS: Type.Number({ minimum: 0, default: 20 }),
  /** How long the link stays blocked. */
  durationS: Type.Number({ exclusiveMinimum: 0, default: 600 }),
});

const SimulatorConfig = Type.Object({
  seed: Type.Integer({ default: 42 }),
  /** Simulated seconds between two readings of one detector. */
  readingIntervalS: Type.Number({ exclusiveMinimum: 0, default: 10 }),
  /** The same road network the traffic plugin uses (only nodes, links and detectors are read). */
  network: Type.Object({
    nodes: Type.Array(Type.Object({ id: Type.String(), lat: Type.Number(), lon: Type.Number() })),
    links: Type.Array(Type.Object({ id: Type.String(), from: Type.String(), to: Type.String(), freeFlowSpeedKph: Type.Number({ exclusiveMinimum: 0 }) })),
    detectors: Type.Array(Type.Object({ id: Type.String(), link: Type.String() })),
  }),
  incidents: Type.Array(StagedIncident, { default: [] }),
});

export type SimulatorConfig = Static<typeof SimulatorConfig>;

interface DetectorProfile {
  readonly id: string;
  readonly link: string;
  readonly flowVph: number;
  readonly speedKph: number;
}

/**
 * The demo's stand-in for a city's field devices: every detector reports flow, occupancy and
 * speed each interval, and staged crashes block links (a queue forms over the detectors) and
 * are phoned in by a caller. Seeded: one seed, one city.
 */
export default definePlugin({
  name: 'simulator',
  version: '1.0.0',
  kernel: '^1',
  description: 'Seeded traffic detectors and staged incidents for the demo city.',
  config: SimulatorConfig,
  publishes: [traffic.DetectorReported, safety.ReportReceived],
  setup(ctx) {
    const { network, readingIntervalS, incidents } = ctx.config;
    const random = seededRandom(ctx.config.seed);
    const nodes = new Map(network.nodes.map((n) => [n.id, n]));
    const links = new Map(network.links.map((l) => [l.id, l]));
    const profiles: DetectorProfile[] = network.detectors.map((d) => {
      const link = links.get(d.link);
      if (!link) throw new Error(`network.detectors: detector '${d.id}' is on unknown link '${d.link}'`);
      return { id: d.id, link: d.link, flowVph: 250 + random() * 550, speedKph: link.freeFlowSpeedKph * (0.75 + random() * 0.2) };
    });
    const blocked = new Set<string>();
    const timers: object[] = [];
    const jitter = () => 0.95 + random() * 0.1;

    const readAll = async () => {
      const observedAt = new Date(ctx.clock.now()).toISOString();
      await Promise.all(
        profiles.map((p) => {
          const queued = blocked.has(p.link);
          const speedKph = queued ? 4 + random() * 6 : p.speedKph * jitter();
          const flowVph = queued ? 80 + random() * 80 : p.flowVph * jitter();
          // Occupancy from flow and speed: density (veh/km) x effective vehicle length (~6 m).
          const occupancyPct = queued ? 70 + random() * 20 : Math.min(95, (flowVph / speedKph) * 0.6);
          return ctx.publish(traffic.DetectorReported, {
            detectorId: p.id,
            observedAt,
            intervalS: readingIntervalS,
            flowVph: round(flowVph),
            occupancyPct: round(occupancyPct),
            speedKph: round(speedKph),
          });
        }),
      );
    };

    ctx.onStart(() => {
      timers.push(ctx.clock.setInterval(() => void readAll().catch((e: unknown) => ctx.logger.error(`readings failed: ${String(e)}`)), readingIntervalS * 1000));
      incidents.forEach((incident, index) => {
        const link = links.get(incident.linkId);
        const from = link && nodes.get(link.from);
        const to = link && nodes.get(link.to);
        if (!from || !to) {
          ctx.logger.warn(`incidents[${index}]: unknown link '${incident.linkId}', skipped`);
          return;
        }
        timers.push(
          ctx.clock.setTimeout(() => blocked.add(incident.linkId), incident.atS * 1000),
          ctx.clock.setTimeout(() => blocked.delete(incident.linkId), (incident.atS + incident.durationS) * 1000),
          ctx.clock.setTimeout(() => {
            void ctx.publish(safety.ReportReceived, {
              reportId: `call-${index + 1}`,
              kind: 'collision',
              position: { lat: (from.lat + to.lat) / 2, lon: (from.lon + to.lon) / 2 },
              reportedAt: new Date(ctx.clock.now()).toISOString(),
              casualties: incident.casualties,
              description: `Caller reports a crash with ${incident.casualties} injured`,
              channel: 'call',
            });
          }, (incident.atS + incident.reportDelayS) * 1000),
        );
      });
    });
    ctx.onStop(() => timers.forEach((timer) => ctx.clock.clearTimer(timer)));
  },
});

const round = (value: number) => Math.round(value * 10) / 10;
