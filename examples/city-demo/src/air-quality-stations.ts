import { environment } from '@polis/contracts';
import { Type } from '@polis/plugin-api';
import type { Clock, EventData, Logger, Static } from '@polis/plugin-api';

/** The stations, as in environment's configuration (the same file): only `id` is read here. */
const Station = Type.Object({ id: Type.String() });

const Episode = Type.Object({
  /** Simulated seconds after start when the smoke reaches the stations. */
  atS: Type.Number({ minimum: 0 }),
  stations: Type.Array(Type.String(), { minItems: 1 }),
  /** PM2.5 at the plume's peak, ug/m3 (PM10 runs 1.3 times higher: smoke is mostly fine particles). */
  pm25PeakUgM3: Type.Number({ exclusiveMinimum: 0 }),
  /** Seconds from clean air to the peak, and from the end of the peak back. */
  rampS: Type.Number({ exclusiveMinimum: 0, default: 120 }),
  /** Seconds at the peak. */
  holdS: Type.Number({ minimum: 0, default: 1800 }),
});

export const AirQualitySimulation = Type.Object({
  stations: Type.Array(Station, { minItems: 1 }),
  /** Simulated seconds after start when the stations' loggers connect and upload their history. */
  startAtS: Type.Number({ minimum: 0, default: 0 }),
  /** Hours of hourly averages each logger uploads on connecting. */
  backfillHours: Type.Integer({ minimum: 0, maximum: 23, default: 12 }),
  /** Simulated seconds between two live readings (each the average over that interval). */
  readingIntervalS: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  episodes: Type.Array(Episode, { default: [] }),
});
export type AirQualitySimulation = Static<typeof AirQualitySimulation>;

type Reading = EventData<typeof environment.ReadingReported>;

/** Clean-air levels of a Futian winter day, ug/m3 (CO mg/m3), drawn per station around these. */
const BASELINE = { pm25: 22, pm10: 45, no2: 35, o3: 55, so2: 7, co: 0.6 };

interface Feed {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: () => number;
  readonly publish: (reading: Reading) => Promise<unknown>;
}

/**
 * The demo's air-quality stations: on connecting, each uploads its last hours of hourly averages
 * (store-and-forward loggers do), then reports every interval. Staged smoke episodes raise PM at
 * some stations: a linear rise, a plateau, a fall. Its timers are the plugin's: they end with it.
 */
export function startAirQualityStations(config: AirQualitySimulation, feed: Feed): void {
  const { clock, random } = feed;
  const baselines = new Map(config.stations.map((station) => [station.id, Object.fromEntries(Object.entries(BASELINE).map(([pollutant, level]) => [pollutant, level * (0.8 + random() * 0.4)]))]));
  const originMs = clock.now();

  /** How far into its smoke episode a station is at a time, 0 (clean) to 1 (peak). */
  const smoke = (stationId: string, atMs: number): { readonly share: number; readonly peak: number } => {
    let strongest = { share: 0, peak: 0 };
    for (const episode of config.episodes) {
      if (!episode.stations.includes(stationId)) continue;
      const t = (atMs - originMs) / 1000 - episode.atS;
      const share = t <= 0 ? 0 : t < episode.rampS ? t / episode.rampS : t < episode.rampS + episode.holdS ? 1 : Math.max(0, 1 - (t - episode.rampS - episode.holdS) / episode.rampS);
      if (share * episode.pm25PeakUgM3 > strongest.share * strongest.peak) strongest = { share, peak: episode.pm25PeakUgM3 };
    }
    return strongest;
  };

  const reading = (stationId: string, endMs: number, averagingS: number): Reading => {
    const base = baselines.get(stationId)!;
    const jitter = () => 0.9 + random() * 0.2;
    // The plume's share at the middle of the averaging period stands for the period.
    const { share, peak } = smoke(stationId, endMs - (averagingS * 1000) / 2);
    const pm25 = base['pm25']! + share * (peak - base['pm25']!);
    const value = (v: number, decimals = 1) => Math.round(v * 10 ** decimals) / 10 ** decimals;
    return {
      stationId,
      observedAt: new Date(endMs).toISOString(),
      averagingS,
      measurements: {
        pm25: { value: value(pm25 * jitter()), unit: 'ug/m3' },
        pm10: { value: value((base['pm10']! + share * (1.3 * peak - base['pm10']!)) * jitter()), unit: 'ug/m3' },
        no2: { value: value(base['no2']! * jitter()), unit: 'ug/m3' },
        o3: { value: value(base['o3']! * jitter()), unit: 'ug/m3' },
        so2: { value: value(base['so2']! * jitter()), unit: 'ug/m3' },
        co: { value: value((base['co']! + share * peak * 0.004) * jitter(), 2), unit: 'mg/m3' },
      },
    };
  };

  const report = (readings: Reading[]) => Promise.all(readings.map(feed.publish));
  clock.setTimeout(() => {
    const connectedMs = clock.now();
    feed.logger.info(`AIR        ${config.stations.length} air-quality stations connect and upload their last ${config.backfillHours} hours`);
    // One burst, as a logger's upload is: the live readings do not wait for it, and an hour that
    // arrives after a later reading simply fills in the station's past.
    const history = Array.from({ length: config.backfillHours }, (_, i) => config.backfillHours - 1 - i).flatMap((hoursAgo) =>
      config.stations.map((station) => reading(station.id, connectedMs - hoursAgo * 3_600_000, 3600)),
    );
    let endMs = connectedMs;
    clock.setInterval(() => {
      endMs += config.readingIntervalS * 1000;
      return report(config.stations.map((station) => reading(station.id, endMs, config.readingIntervalS)));
    }, config.readingIntervalS * 1000);
    return report(history);
  }, config.startAtS * 1000);
}
