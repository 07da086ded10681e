import { environment, health, traffic } from '@polis/contracts';
import type { CloudEvent, EventData, EventDefinition, Logger } from '@polis/plugin-api';

/** What the summary counts of the air-quality chain. */
export interface AirQualityCounts {
  aqiUpdates: number;
  airAlerts: number;
  readinessChanges: number;
  gatedSignals: number;
}

export const emptyAirQualityCounts = (): AirQualityCounts => ({ aqiUpdates: 0, airAlerts: 0, readinessChanges: 0, gatedSignals: 0 });

const is = <E extends EventDefinition>(event: CloudEvent, definition: E): event is CloudEvent<EventData<E>> => event.type === definition.type;

/**
 * The operator's view of an air-quality episode: each alert with its index, and what the other
 * domains did about it (hospitals readied, signals gated), timed from the alert. Returns whether
 * the event was one of the chain's.
 */
export function narrateAirQuality(event: CloudEvent, logger: Logger, counts: AirQualityCounts, raisedAt: Map<string, number>): boolean {
  const since = (alertId: string) => {
    const start = raisedAt.get(alertId);
    return start === undefined ? '' : ` (+${Math.round((Date.parse(event.time) - start) / 1000)} s)`;
  };
  const pollutants = (list: readonly string[]) => (list.length > 0 ? `, ${list.join(', ')}` : '');
  if (is(event, environment.AqiComputed)) {
    counts.aqiUpdates++;
    const d = event.data;
    logger.debug(`AQI        ${d.stationId}: US ${d.usEpa?.aqi ?? '-'} (${d.usEpa?.category ?? 'no data'}), HJ 633 ${d.hj633?.aqi ?? '-'} (${d.hj633?.category ?? 'no data'})`);
  } else if (is(event, environment.AlertRaised)) {
    counts.airAlerts++;
    raisedAt.set(event.data.alertId, Date.parse(event.time));
    const d = event.data;
    logger.info(`AIR ALERT  ${d.alertId} for ${d.scope} ${d.name}: ${d.standard} AQI ${d.aqi}, ${d.category}${pollutants(d.primaryPollutants)}; severity ${d.severity}`);
  } else if (is(event, environment.AlertUpdated)) {
    const d = event.data;
    logger.info(`AIR ALERT  ${d.alertId} ${d.previousSeverity} -> ${d.severity}: AQI ${d.aqi}, ${d.category}${pollutants(d.primaryPollutants)}${since(d.alertId)}`);
  } else if (is(event, environment.AlertCleared)) {
    logger.info(`AIR ALERT  ${event.data.alertId} cleared: AQI ${event.data.aqi}${since(event.data.alertId)}`);
  } else if (is(event, environment.ReadingRejected)) {
    logger.warn(`READING    from ${event.data.ref} refused [${event.data.code}] at ${event.data.path}: ${event.data.reason}`);
  } else if (is(event, health.ReadinessChanged)) {
    counts.readinessChanges++;
    const d = event.data;
    const alertId = d.alertIds[0];
    logger.info(`READINESS  ${d.hospitalId} ${d.previousLevel} -> ${d.level} for respiratory patients${alertId ? since(alertId) : ''}`);
  } else if (is(event, traffic.InflowGated)) {
    counts.gatedSignals += event.data.signals.length;
    const d = event.data;
    const signals = d.signals.map((signal) => `${signal.intersectionId} (${signal.phaseIds.join('+')})`).join(', ');
    logger.info(`GATING     ${d.signals.length} signals at the edge of ${d.alertId} let less traffic in: ${signals}, green x${d.signals[0]?.greenFactor ?? 1}${since(d.alertId)}`);
  } else if (is(event, traffic.InflowReleased)) {
    logger.info(`GATING     released at ${event.data.intersectionIds.join(', ')}${since(event.data.alertId)}`);
  } else {
    return false;
  }
  return true;
}
