import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EARTH_MEAN_RADIUS_M } from '@polis/contracts';
import { XMLParser } from 'fast-xml-parser';
import { SumoConnectorError, SumoErrorCodes } from '../traci/errors.js';
import { additionalFile, programsOf, withPhaseLimits } from './actuated-programs.js';
import type { PhaseLimits } from './actuated-programs.js';
import { signalStates } from './signal-states.js';
import type { NetConnection, PhaseStates } from './signal-states.js';

const run = promisify(execFile);

/** The parts of a Polis road network (the traffic plugin's `network` config) a SUMO network is built from. */
export interface PolisRoadNetwork {
  readonly nodes: readonly { readonly id: string; readonly lat: number; readonly lon: number }[];
  readonly links: readonly { readonly id: string; readonly from: string; readonly to: string; readonly lengthM: number; readonly freeFlowSpeedKph: number; readonly lanes?: number }[];
  readonly intersections: readonly {
    readonly id: string;
    readonly node: string;
    readonly phases: readonly { readonly id: string; readonly links: readonly string[]; readonly minGreenS?: number; readonly yellowS?: number; readonly allRedS?: number }[];
  }[];
  readonly detectors: readonly { readonly id: string; readonly link: string; readonly lane: number; readonly positionM?: number }[];
}

/** Where a Polis detector sits in SUMO. */
export interface DetectorPlacement {
  readonly detectorId: string;
  /** The SUMO induction loop (same id as the detector). */
  readonly loopId: string;
  readonly laneId: string;
  readonly positionM: number;
}

/** How one Polis intersection maps onto its SUMO traffic light. */
export interface SignalMapping {
  readonly intersectionId: string;
  /** The SUMO traffic-light id (the intersection's id). */
  readonly tlsId: string;
  /** The state string of each phase's green, yellow and all-red, by phase id. */
  readonly phases: Readonly<Record<string, PhaseStates>>;
}

/** What the conversion produced, and how Polis ids map onto SUMO's. */
export interface SumoNetworkFiles {
  readonly directory: string;
  /** The network, with SUMO's own fixed-time programs (programID `0`, netconvert's defaults). */
  readonly netFile: string;
  /** SUMO's actuated programs for the same signals (programID `actuated`), an additional file. */
  readonly actuatedFile: string;
  /**
   * SUMO's actuated programs under the city's limits (programID `actuated-city`): the same phases and
   * gap-out, with each intersection's min green, yellow and all-red (see withPhaseLimits), an additional file.
   */
  readonly cityActuatedFile: string;
  /** One induction loop per Polis detector, an additional file. */
  readonly detectorsFile: string;
  readonly mapping: SumoNetworkMapping;
}

/** Polis ids onto SUMO ids. Links are SUMO edges of the same id; lane `n` of a link is SUMO lane `<link>_<n-1>` (lane 1 is the kerb lane). */
export interface SumoNetworkMapping {
  /** The projection used: x east and y north of this point, metres. */
  readonly origin: { readonly lat: number; readonly lon: number };
  readonly signals: readonly SignalMapping[];
  readonly detectors: readonly DetectorPlacement[];
}

export interface ConvertOptions {
  /** Where a detector with no `positionM` goes: this far before its link's downstream end, metres. Default 30. */
  readonly defaultDetectorSetbackM?: number;
  /** The netconvert binary; default `$NETCONVERT_BINARY` or `netconvert`. */
  readonly netconvert?: string;
}

/**
 * Converts a Polis road network into a SUMO network: nodes (projected onto a local plane around
 * the south-west corner, which at city scale is within centimetres of a proper projection),
 * edges with their lanes, lengths and speeds, a traffic light at each intersection node, and an
 * induction loop for every detector. netconvert builds the junctions and connections; its default
 * fixed-time programs are kept as SUMO's fixed-time control, and a second run gives SUMO's
 * actuated programs for the same signals. Each Polis phase's state strings (green, yellow,
 * all-red) are derived from the connections netconvert made, so the bridge can show exactly what
 * the traffic plugin's controller shows.
 *
 * @throws {SumoConnectorError} `SUMO_NETWORK_INVALID` when the network refers to unknown nodes
 * or links, or netconvert refuses it.
 */
export async function convertToSumo(network: PolisRoadNetwork, directory: string, options: ConvertOptions = {}): Promise<SumoNetworkFiles> {
  validate(network);
  await mkdir(directory, { recursive: true });
  const origin = {
    lat: Math.min(...network.nodes.map((node) => node.lat)),
    lon: Math.min(...network.nodes.map((node) => node.lon)),
  };
  const project = planeProjection(origin);
  const signalised = new Map(network.intersections.map((intersection) => [intersection.node, intersection.id]));

  const nodesXml = network.nodes.map((node) => {
    const { x, y } = project(node);
    const tls = signalised.get(node.id);
    const control = tls === undefined ? 'type="priority"' : `type="traffic_light" tl="${xml(tls)}"`;
    return `  <node id="${xml(node.id)}" x="${x.toFixed(2)}" y="${y.toFixed(2)}" ${control}/>`;
  });
  const edgesXml = network.links.map(
    (link) =>
      `  <edge id="${xml(link.id)}" from="${xml(link.from)}" to="${xml(link.to)}" numLanes="${link.lanes ?? 1}" speed="${(link.freeFlowSpeedKph / 3.6).toFixed(3)}" length="${link.lengthM}"/>`,
  );
  const nodesFile = join(directory, 'city.nod.xml');
  const edgesFile = join(directory, 'city.edg.xml');
  await writeFile(nodesFile, `<nodes>\n${nodesXml.join('\n')}\n</nodes>\n`);
  await writeFile(edgesFile, `<edges>\n${edgesXml.join('\n')}\n</edges>\n`);

  const netFile = join(directory, 'city.net.xml');
  const actuatedNetFile = join(directory, 'actuated.net.xml');
  const binary = options.netconvert ?? process.env.NETCONVERT_BINARY ?? 'netconvert';
  const common = ['-n', nodesFile, '-e', edgesFile, '--no-turnarounds', 'true', '--offset.disable-normalization', 'true'];
  await netconvert(binary, [...common, '-o', netFile]);
  await netconvert(binary, [...common, '-o', actuatedNetFile, '--tls.default-type', 'actuated']);

  const net = parseNet(await readFile(netFile, 'utf8'));
  const signals = network.intersections.map((intersection): SignalMapping => {
    const connections = net.connections.filter((connection) => connection.tl === intersection.id);
    return { intersectionId: intersection.id, tlsId: intersection.id, phases: signalStates(intersection, connections) };
  });

  const actuatedText = await readFile(actuatedNetFile, 'utf8');
  const actuatedFile = join(directory, 'actuated.add.xml');
  await writeFile(actuatedFile, additionalFile(programsOf(actuatedText, 'actuated')));
  const limits = new Map(network.intersections.map((intersection) => [intersection.id, limitsOf(intersection.phases)]));
  const cityActuatedFile = join(directory, 'actuated-city.add.xml');
  const cityPrograms = programsOf(actuatedText, 'actuated-city').map((program) => withPhaseLimits(program, limits.get(/id="([^"]*)"/.exec(program)![1]!)));
  await writeFile(cityActuatedFile, additionalFile(cityPrograms));

  const links = new Map(network.links.map((link) => [link.id, link]));
  const setbackM = options.defaultDetectorSetbackM ?? 30;
  const detectors = network.detectors.map((detector): DetectorPlacement => {
    const link = links.get(detector.link)!;
    const positionM = Math.min(link.lengthM - 0.1, Math.max(0.1, detector.positionM ?? link.lengthM - setbackM));
    return { detectorId: detector.id, loopId: detector.id, laneId: `${detector.link}_${detector.lane - 1}`, positionM };
  });
  const detectorsFile = join(directory, 'detectors.add.xml');
  const loopsXml = detectors.map(
    (placement) => `  <inductionLoop id="${xml(placement.loopId)}" lane="${xml(placement.laneId)}" pos="${placement.positionM.toFixed(2)}" period="3600" file="NUL"/>`,
  );
  await writeFile(detectorsFile, `<additional>\n${loopsXml.join('\n')}\n</additional>\n`);

  const mapping: SumoNetworkMapping = { origin, signals, detectors };
  await writeFile(join(directory, 'mapping.json'), `${JSON.stringify(mapping, null, 1)}\n`);
  return { directory, netFile, actuatedFile, cityActuatedFile, detectorsFile, mapping };
}

/** x east, y north in metres from `origin` on the plane tangent there (equirectangular). */
function planeProjection(origin: { readonly lat: number; readonly lon: number }): (point: { readonly lat: number; readonly lon: number }) => { x: number; y: number } {
  const metresPerDegree = (EARTH_MEAN_RADIUS_M * Math.PI) / 180;
  const cosLat = Math.cos((origin.lat * Math.PI) / 180);
  return (point) => ({ x: (point.lon - origin.lon) * cosLat * metresPerDegree, y: (point.lat - origin.lat) * metresPerDegree });
}

async function netconvert(binary: string, args: readonly string[]): Promise<void> {
  try {
    await run(binary, [...args, '--no-warnings', 'true'], { env: { SUMO_HOME: '/usr/share/sumo', ...process.env } });
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).trim() : String(error);
    throw new SumoConnectorError(SumoErrorCodes.NETWORK_INVALID, `netconvert refused the network: ${detail}`, { cause: error });
  }
}

interface ParsedNet {
  readonly connections: NetConnection[];
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['connection', 'tlLogic', 'phase', 'edge', 'lane'].includes(name) });

function parseNet(text: string): ParsedNet {
  const document = parser.parse(text) as { net: { connection?: Record<string, string>[] } };
  const connections = (document.net.connection ?? [])
    .filter((connection) => connection.tl !== undefined)
    .map((connection) => ({
      from: connection.from!,
      to: connection.to!,
      fromLane: Number(connection.fromLane),
      tl: connection.tl!,
      linkIndex: Number(connection.linkIndex),
      dir: connection.dir!,
    }));
  return { connections };
}

/** An intersection's strictest limits over its phases (the demo city's are the same for every phase); none unless every phase has all three. */
function limitsOf(phases: PolisRoadNetwork['intersections'][number]['phases']): PhaseLimits | undefined {
  if (!phases.every((phase) => phase.minGreenS !== undefined && phase.yellowS !== undefined && phase.allRedS !== undefined)) return undefined;
  return {
    minGreenS: Math.max(...phases.map((phase) => phase.minGreenS!)),
    yellowS: Math.max(...phases.map((phase) => phase.yellowS!)),
    allRedS: Math.max(...phases.map((phase) => phase.allRedS!)),
  };
}

function validate(network: PolisRoadNetwork): void {
  const problems: string[] = [];
  const nodes = new Set(network.nodes.map((node) => node.id));
  const links = new Map(network.links.map((link) => [link.id, link]));
  const safeId = /^[A-Za-z0-9_.:-]+$/;
  for (const node of network.nodes) if (!safeId.test(node.id)) problems.push(`node ${JSON.stringify(node.id)}: ids must match ${safeId}`);
  for (const link of network.links) {
    if (!safeId.test(link.id) || link.id.includes('_')) problems.push(`link ${JSON.stringify(link.id)}: ids must match ${safeId} and have no "_" (SUMO lane ids are <edge>_<index>)`);
    for (const end of [link.from, link.to]) if (!nodes.has(end)) problems.push(`link ${link.id}: unknown node ${JSON.stringify(end)}`);
  }
  for (const intersection of network.intersections) {
    if (!nodes.has(intersection.node)) problems.push(`intersection ${intersection.id}: unknown node ${JSON.stringify(intersection.node)}`);
    for (const phase of intersection.phases) {
      for (const linkId of phase.links) if (!links.has(linkId)) problems.push(`intersection ${intersection.id} phase ${phase.id}: unknown link ${JSON.stringify(linkId)}`);
    }
  }
  for (const detector of network.detectors) {
    const link = links.get(detector.link);
    if (link === undefined) problems.push(`detector ${detector.id}: unknown link ${JSON.stringify(detector.link)}`);
    else if (!(detector.lane >= 1 && detector.lane <= (link.lanes ?? 1))) problems.push(`detector ${detector.id}: lane ${detector.lane} of a ${link.lanes ?? 1}-lane link`);
  }
  if (problems.length > 0) throw new SumoConnectorError(SumoErrorCodes.NETWORK_INVALID, `the road network cannot be converted (${problems.length} problems): ${problems.join('; ')}`);
}

/** Escapes an attribute value. */
function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
