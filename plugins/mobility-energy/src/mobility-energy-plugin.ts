import { energy, health, traffic } from '@polis/contracts';
import { ErrorCodes, definePlugin, isPolisError } from '@polis/plugin-api';
import { EnergyInputError } from './algorithms/errors.js';
import { ChargingController } from './charging-controller.js';
import { ChargingDesk } from './charging-desk.js';
import { ChargingNetwork } from './charging-network.js';
import { MobilityEnergyConfig } from './config.js';
import { DemandResponse } from './demand-response.js';
import { DepotPlanner } from './depot-planner.js';
import { Fleet } from './fleet.js';
import { HubAdvisories } from './hub-advisories.js';
import { CentralSystem, OCPP16 } from './ocpp/central-system.js';
import type { Publish } from './publisher.js';
import { SessionBook } from './session-book.js';
import { applyStation } from './station-metadata.js';

/**
 * Mobility-energy: an OCPP 1.6-J central system for the city's chargers, power allocated to
 * their sessions under feeder and transformer limits by priority class (emergency, transit,
 * taxi, private), grid demand response, and electric bus depot schedules. It lifts a returning
 * ambulance's charging to the emergency class and warns vehicles heading to a hub near a traffic
 * incident.
 */
export const mobilityEnergyPlugin = definePlugin({
  name: 'mobility-energy',
  version: '1.0.0',
  kernel: '^1',
  description: 'OCPP central system, priority charging under feeder limits, demand response and bus depot schedules.',
  config: MobilityEnergyConfig,
  consumes: [
    energy.StationObserved,
    energy.VehicleReported,
    energy.GridLimitChanged,
    energy.DemandResponseRequested,
    energy.SessionStopRequested,
    health.AmbulanceDispatched,
    traffic.IncidentDetected,
  ],
  publishes: [
    energy.CentralSystemOpened,
    energy.ChargerConnected,
    energy.ChargerDisconnected,
    energy.ConnectorStatusChanged,
    energy.InputRejected,
    energy.SessionStarted,
    energy.SessionMetered,
    energy.SessionStopped,
    energy.SessionPrioritized,
    energy.VehiclePrioritized,
    energy.HubDisrupted,
    energy.VehicleWarned,
    energy.AllocationChanged,
    energy.FeederLoaded,
    energy.DemandResponseReported,
    energy.DepotSchedulePlanned,
  ],
  setup(ctx) {
    const { config, clock, logger } = ctx;
    const network = ChargingNetwork.fromConfig(config, ctx.name);
    const fleet = new Fleet(config);
    const sessions = new SessionBook();
    // Timers and OCPP messages publish outside handlers; once the plugin is stopping the kernel
    // refuses that, and what was to be said then is dropped (the cycle's limits are in force).
    let stopping = false;
    const publish: Publish = async (event, data, options) => {
      try {
        return await ctx.publish(event, data, options);
      } catch (error) {
        if (isPolisError(error) && error.code === ErrorCodes.INVALID_STATE) stopping = true;
        throw error;
      }
    };
    const failed = (what: string, error: unknown) => {
      if (!stopping) logger.error(`${what}: ${(error as Error).stack ?? String(error)}`);
    };
    const demandResponse = new DemandResponse(network, config.demandResponse.restoreRampS * 1000);
    const depots = config.depots.map((depot) => new DepotPlanner(depot, network, fleet, sessions));
    const advisories = new HubAdvisories(network, sessions, { radiusM: config.hubDisruption.radiusM, durationMs: config.hubDisruption.durationS * 1000 });
    const desk = new ChargingDesk({
      network,
      fleet,
      sessions,
      publish: async (event, data, options) => {
        const published = await publish(event, data, options);
        // A depot bus plugging in or out changes its depot's plan.
        if (event === energy.SessionStarted || event === energy.SessionStopped) for (const depot of depots) depot.invalidate();
        return published;
      },
      state: ctx.state,
      clock,
      acceptUnknownIdTags: config.centralSystem.acceptUnknownIdTags,
      failed,
      onAccepted: (chargerId) => void controller.prepareCharger(chargerId),
    });
    const centralSystem = new CentralSystem({ ...config.centralSystem, clock, logger }, desk);
    const controller = new ChargingController({
      network,
      fleet,
      sessions,
      desk,
      centralSystem,
      demandResponse,
      depots,
      publish,
      clock,
      logger,
      cycleMs: config.allocation.cycleS * 1000,
      loadReportMs: config.allocation.loadReportS * 1000,
      readySocPct: config.emergency.readySocPct,
      failed,
    });

    ctx.on(energy.StationObserved, async (event, scope) => {
      const outcome = applyStation(network, event.data.entity, clock.now());
      if (!outcome.ok) await scope.publish(energy.InputRejected, { source: event.type, ref: event.data.entity.id, path: outcome.path, reason: outcome.reason });
    });

    ctx.on(energy.VehicleReported, async (event) => {
      const vehicle = fleet.report(event.data);
      for (const depot of depots) if (depot.serves(vehicle.id)) depot.invalidate();
      const advice = advisories.warningFor(vehicle, clock.now());
      // Warned under the incident's chain: the incident is why.
      if (advice) await ctx.publish(energy.VehicleWarned, advice.warning, { subject: vehicle.id, causedBy: advice.cause });
    });

    ctx.on(energy.GridLimitChanged, async (event, scope) => {
      const { assetId, limitKw } = event.data;
      const asset = network.feeders.get(assetId) ?? network.transformers.get(assetId);
      if (asset === undefined) {
        await scope.publish(energy.InputRejected, { source: event.type, ref: assetId, path: '/assetId', reason: `no feeder or transformer is called ${JSON.stringify(assetId)}` });
        return;
      }
      asset.limitKw = limitKw;
      logger.info(`limit of ${assetId} now ${limitKw} kW${event.data.reason ? `: ${event.data.reason}` : ''}`);
    });

    ctx.on(energy.DemandResponseRequested, async (event, scope) => {
      try {
        demandResponse.request(event.data, event);
      } catch (error) {
        if (!(error instanceof EnergyInputError)) throw error;
        await scope.publish(energy.InputRejected, { source: event.type, ref: event.data.eventId, path: error.path, reason: error.message.slice(error.path.length + 2) });
      }
    });

    ctx.on(energy.SessionStopRequested, async (event, scope) => {
      const session = sessions.bySessionId(event.data.sessionId);
      if (session === undefined) {
        await scope.publish(energy.InputRejected, { source: event.type, ref: event.data.sessionId, path: '/sessionId', reason: 'no open session has this id' });
        return;
      }
      let refusal: string | undefined;
      try {
        const status = await controller.stopSession(session);
        if (status !== 'Accepted') refusal = `${session.chargerId} refused to stop transaction ${session.transactionId}`;
      } catch (error) {
        refusal = (error as Error).message;
      }
      if (refusal !== undefined) await scope.publish(energy.InputRejected, { source: event.type, ref: session.id, path: '/sessionId', reason: refusal });
    });

    // Healthcare: an ambulance sent on a mission comes back drained; its next charging is emergency.
    ctx.on(health.AmbulanceDispatched, async (event, scope) => {
      const { ambulanceId, incidentId } = event.data;
      const reason = `ambulance ${ambulanceId} dispatched to ${incidentId}`;
      fleet.lift({ vehicleId: ambulanceId, reason, incidentId, cause: event });
      await scope.publish(energy.VehiclePrioritized, { vehicleId: ambulanceId, class: 'emergency', reason, incidentId, readySocPct: config.emergency.readySocPct }, { subject: ambulanceId });
    });

    // Traffic: an incident near a hub disrupts it; vehicles heading there are warned.
    ctx.on(traffic.IncidentDetected, async (event, scope) => {
      const { disrupted, warnings } = advisories.incident(event.data, event, fleet.all(), clock.now());
      for (const data of disrupted) await scope.publish(energy.HubDisrupted, data, { subject: data.hubId });
      for (const warning of warnings) await scope.publish(energy.VehicleWarned, warning, { subject: warning.vehicleId });
    });

    ctx.onStart(async () => {
      await desk.restore();
      const { url, port } = await centralSystem.start();
      logger.info(`OCPP 1.6-J central system listening on ${url}/<chargePointId>`);
      await ctx.publish(energy.CentralSystemOpened, { url, port, protocols: [OCPP16] });
      controller.start();
    });
    ctx.onStop(async () => {
      await controller.stop();
      await centralSystem.stop();
    });
  },
});
