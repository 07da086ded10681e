import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { traffic } from '@polis/contracts';
import trafficPlugin from '@polis/plugin-traffic';
import { FakeClock, startTestKernel } from '@polis/testkit';
import { XMLParser } from 'fast-xml-parser';
import { createSumoBridge } from '../bridge/sumo-bridge.js';
import type { SignalControl } from '../bridge/sumo-bridge.js';
import type { PolisRoadNetwork, SumoNetworkFiles } from '../network/sumo-network.js';
import { startSumo } from '../sumo-process.js';
import { writeTrips } from './demand.js';

/** An emergency vehicle dispatched during the run, from one node to another. */
export interface Dispatch {
  readonly atS: number;
  readonly from: string;
  readonly to: string;
}

/** Lanes blocked (each by a stopped vehicle) at `positionM`, for a while: one lane closed, or every lane (a blocked carriageway). */
export interface StagedIncident {
  readonly atS: number;
  readonly linkId: string;
  /** Lane numbers from 1 (the kerb lane). */
  readonly lanes: readonly number[];
  readonly positionM: number;
  readonly durationS: number;
}

export interface ScenarioOptions {
  readonly files: SumoNetworkFiles;
  /** The road network the traffic plugin runs (the city's, with the simulated detectors). */
  readonly network: PolisRoadNetwork;
  readonly trafficConfig: Record<string, unknown>;
  readonly control: SignalControl;
  readonly vehiclesPerHour: number;
  readonly seed: number;
  readonly durationS: number;
  readonly dispatches?: readonly Dispatch[];
  /** Whether dispatched vehicles get green corridors. */
  readonly corridors?: boolean;
  readonly incidents?: readonly StagedIncident[];
  /** Seconds between the bridge's `traffic.detector.gaps` reports (for the plugin's gap-out); none when unset. */
  readonly gapReportIntervalS?: number;
  readonly workDir: string;
}

export interface ScenarioResult {
  readonly vehicles: number;
  readonly arrived: number;
  /** Mean time loss of general traffic (finished and unfinished trips), seconds. */
  readonly meanTimeLossS: number;
  readonly teleports: number;
  readonly emergencyTripsS: readonly { readonly id: string; readonly durationS: number | undefined; readonly plannedS: number | undefined }[];
  readonly incidentsDetected: readonly { readonly linkId: string; readonly detectedAfterS: number | undefined }[];
  /** Incident reports on links with no staged incident running. */
  readonly falseAlarms: number;
  readonly signalStatesApplied: number;
}

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

/** Runs one simulation: SUMO with seeded demand, the traffic plugin in a kernel on SUMO's clock, and the bridge between them. */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const tag = `${options.control}-${options.vehiclesPerHour}-${options.seed}-${options.corridors ? 'c' : 'n'}-${options.incidents?.length ?? 0}`;
  const routes = join(options.workDir, `trips-${options.vehiclesPerHour}-${options.seed}.rou.xml`);
  const vehicles = await writeTrips(routes, options.network, { vehiclesPerHour: options.vehiclesPerHour, durationS: options.durationS, seed: options.seed });
  const tripinfo = join(options.workDir, `tripinfo-${tag}.xml`);
  const { files } = options;
  const sumo = await startSumo({
    args: ['-n', files.netFile, '-r', routes, '-a', `${files.detectorsFile},${files.actuatedFile},${files.cityActuatedFile}`, '--step-length', '1', '--seed', String(options.seed), '--time-to-teleport', '300', '--no-warnings', 'true', '--duration-log.statistics', 'true', '--tripinfo-output', tripinfo, '--tripinfo-output.write-unfinished', 'true', '--end', String(options.durationS)],
  });
  const clock = new FakeClock(T0);
  const bridge = createSumoBridge({ client: sumo.client, network: options.network, mapping: files.mapping, readingIntervalS: 30, vehicleReportIntervalS: 2, signalControl: options.control, gapReportIntervalS: options.gapReportIntervalS });
  const kit = await startTestKernel({ clock, plugins: [{ plugin: trafficPlugin, config: options.trafficConfig }, { plugin: bridge.plugin }] });
  const nodes = new Map(options.network.nodes.map((node) => [node.id, node]));
  const planned = new Map<string, number>();
  try {
    await bridge.start();
    const dispatches = [...(options.dispatches ?? [])].sort((a, b) => a.atS - b.atS);
    const incidents = [...(options.incidents ?? [])];
    for (let second = 1; second <= options.durationS; second++) {
      await clock.advance(1000);
      for (const [k, dispatch] of dispatches.entries()) {
        if (dispatch.atS !== second) continue;
        const id = `ev${k}`;
        const fromLink = options.network.links.find((link) => link.from === dispatch.from)!;
        const toLink = options.network.links.find((link) => link.to === dispatch.to)!;
        if (options.corridors) {
          await kit.publish(traffic.CorridorRequested, { corridorId: `cor-${id}`, vehicleId: id, vehicleKind: 'ambulance', from: point(nodes.get(dispatch.from)!), to: point(nodes.get(dispatch.to)!) });
          const plan = await kit.expectEvent(traffic.CorridorPlanned, { where: (event) => event.data.vehicleId === id, within: 2000 });
          const edges = plan.data.nodes.slice(1).map((node, i) => `${plan.data.nodes[i]}-${node}`);
          planned.set(id, plan.data.travelTimeS);
          await sumo.client.addRoute(`r-${id}`, edges);
        } else {
          // SUMO routes the vehicle itself (a trip between two edges) on free-flow times.
          await sumo.client.addRoute(`r-${id}`, [fromLink.id, toLink.id]);
        }
        await sumo.client.addVehicle(id, `r-${id}`, { typeId: 'emergency', departLane: 'best', departSpeed: 'max' });
        await bridge.track(id);
      }
      for (const [k, incident] of incidents.entries()) {
        if (incident.atS !== second) continue;
        await sumo.client.addRoute(`r-blocker${k}`, [incident.linkId]);
        for (const lane of incident.lanes) {
          const id = `blocker${k}-${lane}`;
          await sumo.client.addVehicle(id, `r-blocker${k}`, { typeId: 'blocker', departLane: String(lane - 1), departPos: String(incident.positionM - 5), departSpeed: '0' });
          await sumo.client.setVehicleStop(id, incident.linkId, incident.positionM, lane - 1, incident.durationS);
        }
      }
      await bridge.step(T0 + second * 1000);
    }
    const detections = kit.eventsOf(traffic.IncidentDetected);
    const incidentsDetected = incidents.map((incident) => {
      const hit = detections.find((event) => event.data.linkId === incident.linkId && Date.parse(event.data.detectedAt) >= T0 + incident.atS * 1000 && Date.parse(event.data.detectedAt) <= T0 + (incident.atS + incident.durationS + 120) * 1000);
      return { linkId: incident.linkId, detectedAfterS: hit === undefined ? undefined : (Date.parse(hit.data.detectedAt) - T0) / 1000 - incident.atS };
    });
    const falseAlarms = detections.filter(
      (event) => !incidents.some((incident) => event.data.linkId === incident.linkId && Date.parse(event.data.detectedAt) >= T0 + incident.atS * 1000 && Date.parse(event.data.detectedAt) <= T0 + (incident.atS + incident.durationS + 120) * 1000),
    ).length;
    await kit.stop();
    await sumo.stop();
    const trips = await readTripinfo(tripinfo);
    const general = trips.filter((trip) => trip.id.startsWith('v'));
    return {
      vehicles,
      arrived: general.filter((trip) => trip.finished).length,
      meanTimeLossS: general.reduce((total, trip) => total + trip.timeLossS, 0) / Math.max(1, general.length),
      teleports: countTeleports(sumo.output()),
      emergencyTripsS: (options.dispatches ?? []).map((_, k) => {
        const trip = trips.find((candidate) => candidate.id === `ev${k}`);
        return { id: `ev${k}`, durationS: trip?.finished ? trip.durationS : undefined, plannedS: planned.get(`ev${k}`) };
      }),
      incidentsDetected,
      falseAlarms,
      signalStatesApplied: bridge.appliedStates(),
    };
  } catch (error) {
    await kit.stop().catch(() => undefined);
    await sumo.stop();
    throw error;
  }
}

interface Trip {
  readonly id: string;
  readonly durationS: number;
  readonly timeLossS: number;
  readonly finished: boolean;
}

const tripParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'tripinfo' });

async function readTripinfo(file: string): Promise<Trip[]> {
  const document = tripParser.parse(await readFile(file, 'utf8')) as { tripinfos?: { tripinfo?: Record<string, string>[] } };
  return (document.tripinfos?.tripinfo ?? []).map((trip) => ({
    id: trip.id!,
    durationS: Number(trip.duration),
    timeLossS: Number(trip.timeLoss),
    // write-unfinished marks trips still running at the end with arrival -1.
    finished: Number(trip.arrival) >= 0,
  }));
}

function point(node: { readonly lat: number; readonly lon: number }): { lat: number; lon: number } {
  return { lat: node.lat, lon: node.lon };
}

function countTeleports(output: string): number {
  const match = /Teleports: (\d+)/.exec(output);
  return match ? Number(match[1]) : 0;
}
