import type { LatLon } from '@polis/contracts';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { FeederLimit, TransformerLimit } from './algorithms/allocate.js';
import { EnergyInputError } from './algorithms/errors.js';
import { minuteOfClock } from './algorithms/local-time.js';
import { TouTariff } from './algorithms/tou-tariff.js';
import type { MobilityEnergyConfig } from './config.js';
import type { ChargerElectrics } from './ocpp/charging-profiles.js';

/** A charge point as the allocator sees it: where it draws from and what it can do. */
export interface Charger {
  readonly id: string;
  readonly hubId: string;
  readonly feederId: string;
  readonly connectors: number;
  readonly electrics: ChargerElectrics;
  readonly minKw: number;
  readonly maxKw: number;
}

/** What FIWARE EVChargingStation data says of a hub (absent until some arrives). */
export interface StationMetadata {
  readonly name?: string;
  readonly capacity?: number;
  readonly availableCapacity?: number;
  readonly status?: string;
  readonly allowedVehicleType?: readonly string[];
  readonly operator?: string;
  readonly observedAt: number;
}

export interface Hub {
  readonly id: string;
  name: string;
  position: LatLon;
  readonly feederId: string;
  readonly fiwareId: string;
  readonly chargerIds: readonly string[];
  metadata: StationMetadata | undefined;
}

export interface Feeder {
  readonly id: string;
  limitKw: number;
  readonly transformerId: string | undefined;
  readonly zone: string | undefined;
}

export interface Transformer {
  readonly id: string;
  limitKw: number;
}

interface Problem {
  readonly path: string;
  readonly message: string;
}

const NGSI_LD_PREFIX = 'urn:ngsi-ld:EVChargingStation:';

/**
 * The charging grid: transformers, feeders, hubs and their charge points. Limits change at run
 * time (`energy.grid.limit-changed`); the rest is fixed by configuration.
 */
export class ChargingNetwork {
  readonly transformers = new Map<string, Transformer>();
  readonly feeders = new Map<string, Feeder>();
  readonly hubs = new Map<string, Hub>();
  readonly chargers = new Map<string, Charger>();
  private readonly hubsByFiwareId = new Map<string, Hub>();

  private constructor() {}

  /**
   * Builds the network from configuration, or throws one PolisError listing every problem with
   * its path, so an integrator fixes the whole file in one pass.
   */
  static fromConfig(config: MobilityEnergyConfig, plugin: string): ChargingNetwork {
    const network = new ChargingNetwork();
    const problems: Problem[] = [];
    const problem = (path: string, message: string) => problems.push({ path, message });
    const unique = <T>(map: Map<string, T>, id: string, value: T, path: string, what: string) => {
      if (map.has(id)) problem(path, `duplicate ${what} id ${JSON.stringify(id)}`);
      else map.set(id, value);
    };

    config.grid.transformers.forEach((t, i) => unique(network.transformers, t.id, { id: t.id, limitKw: t.limitKw }, `grid.transformers[${i}].id`, 'transformer'));
    config.grid.feeders.forEach((f, i) => {
      if (f.transformerId !== undefined && !network.transformers.has(f.transformerId)) problem(`grid.feeders[${i}].transformerId`, `unknown transformer ${JSON.stringify(f.transformerId)}`);
      unique(network.feeders, f.id, { id: f.id, limitKw: f.limitKw, transformerId: f.transformerId, zone: f.zone }, `grid.feeders[${i}].id`, 'feeder');
    });
    config.hubs.forEach((h, i) => {
      const path = `hubs[${i}]`;
      if (!network.feeders.has(h.feederId)) problem(`${path}.feederId`, `unknown feeder ${JSON.stringify(h.feederId)}`);
      const hub: Hub = { id: h.id, name: h.name, position: h.position, feederId: h.feederId, fiwareId: h.fiwareId ?? h.id, chargerIds: h.chargers.map((c) => c.id), metadata: undefined };
      unique(network.hubs, h.id, hub, `${path}.id`, 'hub');
      network.hubsByFiwareId.set(hub.fiwareId, hub);
      h.chargers.forEach((c, j) => {
        const at = `${path}.chargers[${j}]`;
        const feederId = c.feederId ?? h.feederId;
        if (c.feederId !== undefined && !network.feeders.has(c.feederId)) problem(`${at}.feederId`, `unknown feeder ${JSON.stringify(c.feederId)}`);
        const electrics: ChargerElectrics = { rateUnit: c.rateUnit, voltageV: c.voltageV, phases: c.phases };
        let minKw: number;
        let maxKw: number;
        if (c.rateUnit === 'A') {
          minKw = (c.minCurrentA * c.voltageV * c.phases) / 1000;
          maxKw = (c.maxCurrentA * c.voltageV * c.phases) / 1000;
          if (c.minCurrentA > c.maxCurrentA) problem(`${at}.minCurrentA`, `must not exceed maxCurrentA (${c.maxCurrentA})`);
        } else {
          minKw = c.minPowerKw;
          maxKw = c.maxPowerKw ?? 0;
          if (c.maxPowerKw === undefined) problem(`${at}.maxPowerKw`, 'is required for a DC charger (rateUnit W)');
          else if (c.minPowerKw > c.maxPowerKw) problem(`${at}.minPowerKw`, `must not exceed maxPowerKw (${c.maxPowerKw})`);
        }
        unique(network.chargers, c.id, { id: c.id, hubId: h.id, feederId, connectors: c.connectors, electrics, minKw, maxKw }, `${at}.id`, 'charger');
      });
    });
    config.depots.forEach((d, i) => {
      const path = `depots[${i}]`;
      if (!network.hubs.has(d.hubId)) problem(`${path}.hubId`, `unknown hub ${JSON.stringify(d.hubId)}`);
      try {
        new TouTariff(d.tariff);
      } catch (error) {
        if (!(error instanceof EnergyInputError)) throw error;
        problem(`${path}.tariff.${error.path}`, error.message.slice(error.path.length + 2));
      }
      d.buses.forEach((bus, j) =>
        bus.blocks.forEach((block, k) => {
          for (const field of ['depart', 'return'] as const) {
            try {
              minuteOfClock(block[field], field);
            } catch (error) {
              problem(`${path}.buses[${j}].blocks[${k}].${field}`, (error as Error).message.slice(field.length + 2));
            }
          }
        }),
      );
    });

    if (problems.length > 0) {
      const list = problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
      throw new PolisError(ErrorCodes.CONFIG_INVALID, `invalid charging network (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}`, { plugin, details: { problems } });
    }
    return network;
  }

  /** The hub a FIWARE EVChargingStation entity describes: by its id, or an NGSI-LD urn ending in it. */
  hubOfStation(entityId: string): Hub | undefined {
    return this.hubsByFiwareId.get(entityId) ?? (entityId.startsWith(NGSI_LD_PREFIX) ? this.hubsByFiwareId.get(entityId.slice(NGSI_LD_PREFIX.length)) : undefined);
  }

  feederIdsIn(zone: string): string[] {
    return [...this.feeders.values()].filter((feeder) => feeder.zone === zone).map((feeder) => feeder.id);
  }

  /** The limits in force, each feeder's capped by `capOf` (demand response). */
  limits(capOf: (feeder: Feeder) => number = (feeder) => feeder.limitKw): { feeders: FeederLimit[]; transformers: TransformerLimit[] } {
    return {
      feeders: [...this.feeders.values()].map((feeder) => ({ id: feeder.id, capKw: Math.min(feeder.limitKw, capOf(feeder)), transformerId: feeder.transformerId })),
      transformers: [...this.transformers.values()].map((transformer) => ({ id: transformer.id, capKw: transformer.limitKw })),
    };
  }
}
