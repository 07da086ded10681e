import { citizen, environment } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent, EventData, HandlerScope } from '@polis/plugin-api';
import type { AlertSubject, Assessment, IndexValue } from './alert-book.js';
import { AlertBook } from './alert-book.js';
import { hj633Level } from './algorithms/hj633-aqi.js';
import { epaCategory } from './algorithms/us-epa-aqi.js';
import { EnvironmentConfig } from './config.js';
import { readingFromFiware } from './fiware-reading.js';
import { answerSmellOrder } from './smell-work-orders.js';
import type { RawReading, Rejection } from './reading.js';
import { checkReading } from './reading.js';
import { StationHistory } from './station-history.js';
import { aqiComputedData, stationIndices } from './station-indices.js';
import type { Station, Zone } from './stations.js';
import { StationRegistry } from './stations.js';

const { POLLUTANTS } = environment;

type Scope = HandlerScope<
  typeof environment.ReadingRejected | typeof environment.AqiComputed | typeof environment.AlertRaised | typeof environment.AlertUpdated | typeof environment.AlertCleared,
  never
>;

/**
 * Environment: ingests air-quality readings (plain, or FIWARE AirQualityObserved in any of its
 * three shapes), computes each station's AQI by the US EPA and by HJ 633-2012 at every reading,
 * and raises, re-grades and clears alerts per station and per zone with hysteresis. Alerts carry
 * their area, so other domains act on what lies inside it without knowing this plugin.
 */
export const environmentPlugin = definePlugin({
  name: 'environment',
  version: '1.0.0',
  kernel: '^1',
  description: 'Air-quality ingest, US EPA and HJ 633 AQI, station and zone alerts with hysteresis.',
  config: EnvironmentConfig,
  consumes: [environment.ReadingReported, environment.AirQualityObserved, citizen.CaseRouted],
  publishes: [environment.ReadingRejected, environment.AqiComputed, environment.AlertRaised, environment.AlertUpdated, environment.AlertCleared, citizen.CaseProgressed],
  setup(ctx) {
    const { config } = ctx;
    const stations = new StationRegistry(config, ctx.name);
    const histories = new Map<string, StationHistory>();
    /** Each station's latest index in the alerts' standard: what its zones are made of. */
    const latest = new Map<string, IndexValue>();
    const alerts = new AlertBook(config.alerts);
    const categoryOf = (aqi: number) => (config.alerts.standard === 'us-epa' ? epaCategory(aqi) : hj633Level(aqi).category);

    const reject = (scope: Scope, source: CloudEvent, ref: string, rejection: Rejection) =>
      scope.publish(environment.ReadingRejected, { source: source.type, ref, ...rejection }, { subject: ref });

    /** The zone's index: its worst station's, among those heard from recently (EPA reporting areas take the highest monitor too). */
    const zoneValue = (zone: Zone, atMs: number): IndexValue | undefined => {
      const fresh = zone.stationIds.map((id) => latest.get(id)).filter((value): value is IndexValue => value !== undefined && atMs - value.observedAtMs <= config.alerts.zoneStaleAfterS * 1000);
      if (fresh.length === 0) return undefined;
      const aqi = Math.max(...fresh.map((value) => value.aqi));
      const primaryPollutants = [...new Set(fresh.filter((value) => value.aqi === aqi).flatMap((value) => value.primaryPollutants))];
      return { aqi, category: categoryOf(aqi), primaryPollutants, observedAtMs: atMs };
    };
    const stationSubject = (station: Station): AlertSubject => ({
      scope: 'station',
      id: station.id,
      name: station.name,
      area: { kind: 'circle', center: station.position, radiusM: station.radiusM },
    });
    const zoneSubject = (zone: Zone): AlertSubject => ({ scope: 'zone', id: zone.id, name: zone.name, area: { kind: 'polygon', points: [...zone.polygon] } });

    const announce = async (scope: Scope, assessment: Assessment) => {
      const { transition } = assessment;
      if (transition?.kind === 'raised') await scope.publish(environment.AlertRaised, transition.data, { subject: transition.data.alertId });
      else if (transition?.kind === 'updated') await scope.publish(environment.AlertUpdated, transition.data, { subject: transition.data.alertId });
      else if (transition?.kind === 'cleared') await scope.publish(environment.AlertCleared, transition.data, { subject: transition.data.alertId });
      assessment.commit();
    };

    const ingest = async (station: Station, raw: RawReading, source: CloudEvent, scope: Scope) => {
      const checked = checkReading(raw, ctx.clock.now(), config.input);
      if (!checked.ok) {
        await reject(scope, source, station.id, checked.rejection);
        return;
      }
      for (const rejection of checked.rejections) await reject(scope, source, station.id, rejection);
      if (checked.samples.length === 0) return;

      let history = histories.get(station.id);
      if (history === undefined) histories.set(station.id, (history = new StationHistory()));
      // A late reading fills in the past; only one that moves the station's clock is reported on.
      const advances = raw.observedAtMs >= history.latestMs;
      for (const { pollutant, sample } of checked.samples) history.add(pollutant, sample);
      if (!advances) return;

      const indices = stationIndices(history.hourly(raw.observedAtMs));
      if (indices.usEpa === undefined && indices.hj633 === undefined) return;
      await scope.publish(environment.AqiComputed, aqiComputedData(station.id, raw.observedAtMs, indices), { subject: station.id });

      const index = config.alerts.standard === 'us-epa' ? indices.usEpa : indices.hj633;
      if (index === undefined) return;
      latest.set(station.id, { aqi: index.aqi, category: index.category, primaryPollutants: index.primaryPollutants, observedAtMs: raw.observedAtMs });
      if (config.alerts.stationAlerts) await announce(scope, alerts.assess(stationSubject(station), latest.get(station.id)!));
      for (const zone of stations.zonesOf(station.id)) {
        const value = zoneValue(zone, raw.observedAtMs);
        if (value !== undefined) await announce(scope, alerts.assess(zoneSubject(zone), value));
      }
    };

    ctx.on(environment.ReadingReported, async (event, scope) => {
      const { stationId, observedAt, averagingS, measurements } = event.data;
      const station = stations.station(stationId);
      if (station === undefined) {
        await reject(scope, event, stationId, { path: '/stationId', code: 'UNKNOWN_STATION', reason: `unknown station ${JSON.stringify(stationId)}: not among the configured stations` });
        return;
      }
      const raw: RawReading = {
        stationId,
        observedAtMs: Date.parse(observedAt),
        observedAtPath: '/observedAt',
        averagingS,
        measurements: POLLUTANTS.flatMap((pollutant) => {
          const measurement = measurements[pollutant];
          if (measurement === undefined) return [];
          const path = `/measurements/${pollutant}`;
          return [{ pollutant, value: measurement.value, unit: measurement.unit, path: `${path}/value`, unitPath: `${path}/unit` }];
        }),
      };
      await ingest(station, raw, event, scope);
    });

    ctx.on(environment.AirQualityObserved, async (event, scope) => {
      const outcome = readingFromFiware(event.data.entity, stations);
      if (outcome.ok) await ingest(outcome.station, outcome.reading, event, scope);
      else await reject(scope, event, outcome.ref, { path: outcome.path, code: outcome.code, reason: outcome.reason });
    });

    // Smoke and smell work orders (see smell-work-orders.ts).
    const inspections: object[] = [];
    ctx.on(citizen.CaseRouted, async (event, scope) => {
      if (event.data.department !== 'environment') return;
      const publish = (progress: EventData<typeof citizen.CaseProgressed>, cause: CloudEvent | undefined) => (cause ? ctx.scopeFor(cause) : scope).publish(citizen.CaseProgressed, progress, { subject: progress.caseId });
      inspections.push(...(await answerSmellOrder(event, config.stations, (id) => latest.get(id), config.workOrders, ctx.clock, publish)));
    });
    ctx.onStop(() => inspections.forEach((timer) => ctx.clock.clearTimer(timer)));
  },
});
