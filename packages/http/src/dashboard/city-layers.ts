import type { PluginEntry } from '@polis/kernel';

export interface RoadLayer {
  readonly plugin: string;
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly lat: number; readonly lon: number }>;
  readonly links: ReadonlyArray<{ readonly id: string; readonly from: string; readonly to: string }>;
  readonly intersections: ReadonlyArray<{ readonly id: string; readonly lat: number; readonly lon: number }>;
}

/** Things with a place in a plugin's configuration: bins, stations, hubs, units, hospitals. */
export interface PlaceLayer {
  readonly plugin: string;
  /** The configuration key they are listed under (`bins`, `stations`, `hubs`, ...). */
  readonly kind: string;
  readonly items: ReadonlyArray<{ readonly id: string; readonly lat: number; readonly lon: number; readonly name?: string; readonly feederId?: string }>;
}

export interface CityLayers {
  readonly roads?: RoadLayer;
  readonly places: readonly PlaceLayer[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function pointOf(item: Json): { lat: number; lon: number } | undefined {
  const where = isObject(item.position) ? item.position : item;
  return isNumber(where.lat) && isNumber(where.lon) ? { lat: where.lat, lon: where.lon } : undefined;
}

function roadsOf(plugin: string, config: Json): RoadLayer | undefined {
  const network = config.network;
  if (!isObject(network) || !Array.isArray(network.nodes) || !Array.isArray(network.links)) return undefined;
  const nodes = network.nodes.filter(isObject).flatMap((n) => {
    const point = pointOf(n);
    return typeof n.id === 'string' && point ? [{ id: n.id, ...point }] : [];
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const links = network.links.filter(isObject).flatMap((l) => (typeof l.id === 'string' && byId.has(String(l.from)) && byId.has(String(l.to)) ? [{ id: l.id, from: String(l.from), to: String(l.to) }] : []));
  const intersections = (Array.isArray(network.intersections) ? network.intersections : []).filter(isObject).flatMap((i) => {
    const node = byId.get(String(i.node));
    return typeof i.id === 'string' && node ? [{ id: i.id, lat: node.lat, lon: node.lon }] : [];
  });
  return { plugin, nodes, links, intersections };
}

/**
 * What the dashboard draws from the deployment's own data, for the plugins running now: the
 * road network (any plugin's `network` of nodes and links) and every list of placed things in
 * their configurations. Each kind is taken from the first plugin that lists it, so a domain's
 * layer is its own and a simulator configured with the same data adds nothing; only ids, names
 * and positions leave the configuration (never a password or a token).
 */
export function cityLayers(entries: readonly PluginEntry[]): CityLayers {
  let roads: RoadLayer | undefined;
  const places = new Map<string, PlaceLayer>();
  for (const entry of entries) {
    if (!isObject(entry.config)) continue;
    roads ??= roadsOf(entry.plugin.name, entry.config);
    for (const [kind, value] of Object.entries(entry.config)) {
      if (places.has(kind) || !Array.isArray(value)) continue;
      const items = value.filter(isObject).flatMap((item) => {
        const point = pointOf(item);
        if (typeof item.id !== 'string' || point === undefined) return [];
        const name = text(item.name);
        const feederId = text(item.feederId);
        return [{ id: item.id, ...point, ...(name ? { name } : {}), ...(feederId ? { feederId } : {}) }];
      });
      if (items.length > 0) places.set(kind, { plugin: entry.plugin.name, kind, items });
    }
  }
  return { ...(roads ? { roads } : {}), places: [...places.values()] };
}
