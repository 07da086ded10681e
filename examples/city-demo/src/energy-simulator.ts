import { energy, health } from '@polis/contracts';
import { ErrorCodes, Type, definePlugin, isPolisError } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';
import { RPCClient } from 'ocpp-rpc';
import { seededRandom } from './seeded-random.js';

const Charger = Type.Object({
  id: Type.String(),
  connectors: Type.Integer({ minimum: 1, default: 1 }),
  rateUnit: Type.Union([Type.Literal('A'), Type.Literal('W')], { default: 'A' }),
  phases: Type.Integer({ default: 3 }),
  voltageV: Type.Number({ default: 230 }),
  maxPowerKw: Type.Optional(Type.Number()),
});

const EnergySimulatorConfig = Type.Object({
  seed: Type.Integer({ default: 7 }),
  /** The same hubs mobility-energy is configured with (ids, chargers and connectors are read). */
  hubs: Type.Array(Type.Object({ id: Type.String(), chargers: Type.Array(Charger) })),
  /** The depot hub and its buses, plugged in from the start. */
  depot: Type.Object({ hubId: Type.String(), buses: Type.Array(Type.String()) }),
  /** Taxis (configured as such in mobility-energy) and private cars arriving at the other hubs. */
  taxis: Type.Array(Type.String(), { default: [] }),
  cars: Type.Integer({ minimum: 0, default: 10 }),
  arrivalsEveryS: Type.Number({ exclusiveMinimum: 0, default: 20 }),
  /** How long a vehicle announces its destination before it arrives. */
  driveS: Type.Number({ minimum: 0, default: 90 }),
  /** How long a taxi or car stays plugged in at most (a random share of it, from half). */
  dwellS: Type.Number({ exclusiveMinimum: 0, default: 300 }),
  /** Each ambulance's charging hub, where it plugs in after a delivery. */
  ambulances: Type.Record(Type.String(), Type.String(), { default: {} }),
  ambulanceReturnS: Type.Number({ minimum: 0, default: 90 }),
  meterIntervalS: Type.Number({ exclusiveMinimum: 0, default: 30 }),
  demandResponse: Type.Optional(
    Type.Object({
      atS: Type.Number({ minimum: 0 }),
      zones: Type.Array(Type.String(), { minItems: 1 }),
      durationS: Type.Number({ exclusiveMinimum: 0 }),
      reductionKw: Type.Number({ exclusiveMinimum: 0 }),
      restoreRampS: Type.Number({ minimum: 0, default: 120 }),
    }),
  ),
});

export type EnergySimulatorConfig = Static<typeof EnergySimulatorConfig>;

interface OcppClient {
  connect(): Promise<unknown>;
  call(method: string, params?: unknown): Promise<unknown>;
  close(options?: { code?: number; reason?: string }): Promise<unknown>;
  handle(method: string, handler: (call: { params: Record<string, unknown> }) => Promise<unknown>): void;
}

interface Plug {
  readonly vehicleId: string;
  readonly idTag: string;
  readonly batteryKwh: number;
  readonly maxKw: number;
  socPct: number;
  registerWh: number;
  transactionId: number | undefined;
}

interface SimulatedCharger {
  readonly id: string;
  readonly hubId: string;
  readonly spec: Static<typeof Charger>;
  readonly client: OcppClient;
  readonly plugs: (Plug | undefined)[];
  /** kW allowed by the TxDefaultProfile, and by each transaction's TxProfile. */
  defaultKw: number;
  readonly limitKw: Map<number, number>;
}

/**
 * The demo's charge points and vehicles: every configured charger connects to the central system
 * over a real OCPP 1.6-J WebSocket (ocpp-rpc's client), boots, and charges what plugs in at the
 * limits the central system sets, reporting its meter. Buses wait at the depot, taxis and cars
 * arrive through the run (taxis announce where they are heading), ambulances plug in when they
 * are back from a delivery, and a grid demand-response event is staged. Seeded: one seed, one run.
 */
export default definePlugin({
  name: 'energy-simulator',
  version: '1.0.0',
  kernel: '^1',
  description: 'Simulated OCPP charge points, fleets and a grid event for the demo city.',
  config: EnergySimulatorConfig,
  consumes: [energy.CentralSystemOpened, health.PatientArrived],
  publishes: [energy.VehicleReported, energy.DemandResponseRequested],
  setup(ctx) {
    const { config, clock, logger } = ctx;
    const random = seededRandom(config.seed);
    const chargers: SimulatedCharger[] = [];
    const timers: object[] = [];
    const iso = () => new Date(clock.now()).toISOString();
    const kwOf = (spec: Static<typeof Charger>, limit: number) => (spec.rateUnit === 'W' ? limit / 1000 : (limit * spec.voltageV * spec.phases) / 1000);
    const maxKwOf = (spec: Static<typeof Charger>) => spec.maxPowerKw ?? (32 * spec.voltageV * spec.phases) / 1000;
    let stopping = false;
    // Calls in flight when the city stops are cut off, and the kernel refuses publishing from
    // timers once a plugin is stopping: neither is news.
    const warn = (what: string) => (error: unknown) => {
      if (isPolisError(error) && error.code === ErrorCodes.INVALID_STATE) stopping = true;
      if (!stopping) logger.warn(`${what}: ${(error as Error).message}`);
    };

    const connect = async (url: string, hubId: string, spec: Static<typeof Charger>): Promise<SimulatedCharger> => {
      const client = new RPCClient({ endpoint: url, identity: spec.id, protocols: ['ocpp1.6'], strictMode: true, reconnect: false } as never) as unknown as OcppClient;
      const charger: SimulatedCharger = { id: spec.id, hubId, spec, client, plugs: Array.from({ length: spec.connectors }, () => undefined), defaultKw: maxKwOf(spec), limitKw: new Map() };
      client.handle('SetChargingProfile', async ({ params }) => {
        const profile = params.csChargingProfiles as { chargingProfilePurpose: string; transactionId?: number; chargingSchedule: { chargingSchedulePeriod: { limit: number }[] } };
        const kw = kwOf(spec, profile.chargingSchedule.chargingSchedulePeriod[0]!.limit);
        if (profile.chargingProfilePurpose === 'TxDefaultProfile') charger.defaultKw = kw;
        else if (profile.transactionId !== undefined) charger.limitKw.set(profile.transactionId, kw);
        return { status: 'Accepted' };
      });
      client.handle('RemoteStopTransaction', async ({ params }) => {
        const connector = charger.plugs.findIndex((plug) => plug?.transactionId === params.transactionId);
        if (connector < 0) return { status: 'Rejected' };
        setImmediate(() => void unplug(charger, connector, 'Remote').catch(warn(`${charger.id} remote stop`)));
        return { status: 'Accepted' };
      });
      await client.connect();
      await client.call('BootNotification', { chargePointVendor: 'Polis demo', chargePointModel: spec.rateUnit === 'W' ? 'DC-150' : 'AC-22', chargePointSerialNumber: `SN-${spec.id}` });
      return charger;
    };

    const plugIn = async (charger: SimulatedCharger, connector: number, plug: Plug) => {
      charger.plugs[connector] = plug;
      const answer = (await charger.client.call('StartTransaction', { connectorId: connector + 1, idTag: plug.idTag, meterStart: plug.registerWh, timestamp: iso() })) as { transactionId: number };
      plug.transactionId = answer.transactionId;
    };

    const unplug = async (charger: SimulatedCharger, connector: number, reason: string) => {
      const plug = charger.plugs[connector];
      if (plug?.transactionId === undefined) return;
      charger.plugs[connector] = undefined;
      charger.limitKw.delete(plug.transactionId);
      await charger.client.call('StopTransaction', { transactionId: plug.transactionId, meterStop: Math.round(plug.registerWh), timestamp: iso(), reason });
    };

    /** A free connector at a hub, if any. */
    const freeAt = (hubId: string): [SimulatedCharger, number] | undefined => {
      for (const charger of chargers) {
        if (charger.hubId !== hubId) continue;
        const connector = charger.plugs.findIndex((plug) => plug === undefined);
        if (connector >= 0) return [charger, connector];
      }
      return undefined;
    };

    /** Every meter interval: energy at the limit in force (and what the car takes), MeterValues, and full cars leave. */
    const meterTick = async () => {
      const hours = config.meterIntervalS / 3600;
      await Promise.all(
        chargers.flatMap((charger) =>
          charger.plugs.map(async (plug, connector) => {
            if (plug?.transactionId === undefined) return;
            const limit = charger.limitKw.get(plug.transactionId) ?? charger.defaultKw;
            // Charging tapers above 80 %, as lithium batteries do.
            const taper = plug.socPct < 80 ? 1 : Math.max(0.1, (100 - plug.socPct) / 20);
            const kw = Math.min(limit, plug.maxKw) * taper;
            plug.registerWh += kw * hours * 1000;
            plug.socPct = Math.min(100, plug.socPct + ((kw * hours) / plug.batteryKwh) * 100);
            await charger.client.call('MeterValues', {
              connectorId: connector + 1,
              transactionId: plug.transactionId,
              meterValue: [
                {
                  timestamp: iso(),
                  sampledValue: [
                    { value: String(Math.round(plug.registerWh)), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
                    { value: String(Math.round(kw * 1000)), measurand: 'Power.Active.Import', unit: 'W' },
                    { value: plug.socPct.toFixed(1), measurand: 'SoC', unit: 'Percent' },
                  ],
                },
              ],
            });
            if (plug.socPct >= 95) await unplug(charger, connector, 'EVDisconnected');
          }),
        ),
      );
    };

    /** A taxi or car on its way to a hub: announced, then plugged in if a connector is free. */
    const arrive = (vehicleId: string, hubIds: string[]) => {
      const hubId = hubIds[Math.floor(random() * hubIds.length)]!;
      const socPct = Math.round(15 + random() * 35);
      const batteryKwh = vehicleId.startsWith('taxi') ? 60 : 50 + Math.round(random() * 30);
      void ctx.publish(energy.VehicleReported, { vehicleId, at: iso(), socPct, batteryKwh, headingToHubId: hubId }).catch(warn(`${vehicleId} report`));
      timers.push(
        clock.setTimeout(() => {
          const free = freeAt(hubId);
          if (free === undefined) return logger.debug(`${vehicleId} found ${hubId} full`);
          const [charger, connector] = free;
          // Taxis charge with their fleet cards, cars with cards named after them.
          const idTag = vehicleId.startsWith('taxi') ? vehicleId.toUpperCase() : vehicleId;
          const plug: Plug = { vehicleId, idTag, batteryKwh, maxKw: 11 + random() * 11, socPct, registerWh: Math.round(random() * 1e6), transactionId: undefined };
          void plugIn(charger, connector, plug).catch(warn(`${vehicleId} start`));
          // Drivers do not wait for a full battery: they leave after a while.
          timers.push(clock.setTimeout(() => void (charger.plugs[connector] === plug ? unplug(charger, connector, 'EVDisconnected') : undefined)?.catch(warn(`${vehicleId} stop`)), config.dwellS * (0.5 + random() / 2) * 1000));
        }, config.driveS * 1000),
      );
    };

    ctx.on(energy.CentralSystemOpened, async (event) => {
      // All at once, as a city's charge points come online: each boots on its own connection.
      chargers.push(...(await Promise.all(config.hubs.flatMap((hub) => hub.chargers.map((spec) => connect(event.data.url, hub.id, spec))))));
      // Buses are at the depot, plugged in.
      config.depot.buses.forEach((busId, i) => {
        const charger = chargers.filter((c) => c.hubId === config.depot.hubId)[i];
        if (charger === undefined) return logger.warn(`no depot charger left for ${busId}`);
        void plugIn(charger, 0, { vehicleId: busId, idTag: busId, batteryKwh: 350, maxKw: 150, socPct: Math.round(30 + random() * 25), registerWh: 0, transactionId: undefined }).catch(warn(`${busId} start`));
      });
      const publicHubs = config.hubs.map((hub) => hub.id).filter((id) => id !== config.depot.hubId);
      const arrivals = [...config.taxis, ...Array.from({ length: config.cars }, (_, i) => `car-${i + 1}`)];
      arrivals.forEach((vehicleId, i) => timers.push(clock.setTimeout(() => arrive(vehicleId, publicHubs), (i + 1) * config.arrivalsEveryS * 1000)));
      timers.push(clock.setInterval(() => void meterTick().catch(warn('meter values')), config.meterIntervalS * 1000));
      const dr = config.demandResponse;
      if (dr) {
        timers.push(
          clock.setTimeout(() => {
            void ctx
              .publish(energy.DemandResponseRequested, {
                eventId: `dr-${new Date(clock.now()).toISOString().slice(0, 16)}`,
                programId: 'csg-shenzhen-peak',
                eventName: 'afternoon peak shaving',
                priority: 0,
                targets: { zones: dr.zones },
                intervalPeriod: { start: iso(), duration: `PT${Math.round(dr.durationS)}S` },
                reductionKw: dr.reductionKw,
                restoreRampS: dr.restoreRampS,
              })
              .catch(warn('demand response'));
          }, dr.atS * 1000),
        );
      }
    });

    // An ambulance back from a delivery plugs in at its hub (or, if that is full, any with room).
    ctx.on(health.PatientArrived, (event) => {
      const hubId = config.ambulances[event.data.ambulanceId];
      if (hubId === undefined) return;
      timers.push(
        clock.setTimeout(() => {
          const free = freeAt(hubId) ?? config.hubs.map((hub) => (hub.id === config.depot.hubId ? undefined : freeAt(hub.id))).find((found) => found !== undefined);
          if (free === undefined) return logger.info(`${event.data.ambulanceId} found every hub full`);
          const ambulanceId = event.data.ambulanceId;
          void plugIn(free[0], free[1], { vehicleId: ambulanceId, idTag: ambulanceId.toUpperCase(), batteryKwh: 90, maxKw: 22, socPct: 35, registerWh: 0, transactionId: undefined }).catch(warn(`${ambulanceId} start`));
        }, config.ambulanceReturnS * 1000),
      );
    });

    ctx.onStop(async () => {
      stopping = true;
      for (const timer of timers) clock.clearTimer(timer);
      await Promise.all(chargers.map((charger) => charger.client.close({ code: 1000, reason: 'demo over' }).catch(() => undefined)));
    });
  },
});
