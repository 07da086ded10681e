import { environment } from '@polis/contracts';
import type { LatLon, health } from '@polis/contracts';
import type { EventData, Static } from '@polis/plugin-api';

type Severity = Static<typeof environment.AlertSeverity>;
type Level = Static<typeof health.ReadinessLevel>;
type ReadinessChange = EventData<typeof health.ReadinessChanged>;

/** Readiness levels from least to most prepared. */
const LEVELS: readonly Level[] = ['normal', 'standby', 'prepared', 'surge'];
const SEVERITIES: readonly Severity[] = environment.ALERT_SEVERITIES;

/** The least severity of an air-quality alert that puts a hospital under it at each readiness level. */
export interface ReadinessThresholds {
  readonly standby: Severity;
  readonly prepared: Severity;
  readonly surge: Severity;
}

interface ActiveAlert {
  readonly area: environment.AlertArea;
  readonly severity: Severity;
  readonly description: string;
}

/** The changes an alert event brings, and the state to commit once they are published. */
export interface ReadinessOutcome {
  readonly changes: readonly ReadinessChange[];
  readonly commit: () => void;
}

/**
 * Respiratory readiness of the hospitals under air-quality alerts: each hospital is at the level
 * the most severe alert over its position calls for (a hospital under a station's alert and a
 * zone's is told once, at the higher level), and back to normal when no alert covers it. It
 * knows alerts only by their area, not the plugin that raised them.
 */
export class RespiratoryReadiness {
  readonly #hospitals: ReadonlyArray<{ readonly id: string; readonly position: LatLon }>;
  readonly #thresholds: ReadinessThresholds;
  readonly #alerts = new Map<string, ActiveAlert>();
  readonly #levels = new Map<string, Level>();

  constructor(hospitals: ReadonlyArray<{ readonly id: string; readonly position: LatLon }>, thresholds: ReadinessThresholds) {
    this.#hospitals = hospitals;
    this.#thresholds = thresholds;
  }

  /** An alert was raised or re-graded. */
  alerted(alert: EventData<typeof environment.AlertRaised>): ReadinessOutcome {
    const description = `air-quality alert ${alert.alertId} for ${alert.scope} ${alert.name}: ${alert.standard} AQI ${alert.aqi} (${alert.category}${alert.primaryPollutants.length > 0 ? `, ${alert.primaryPollutants.join(', ')}` : ''}), severity ${alert.severity}`;
    const alerts = new Map(this.#alerts).set(alert.alertId, { area: alert.area, severity: alert.severity, description });
    return this.#outcome(alerts);
  }

  /** An alert ended. */
  cleared(alertId: string): ReadinessOutcome {
    const alerts = new Map(this.#alerts);
    alerts.delete(alertId);
    return this.#outcome(alerts);
  }

  #outcome(alerts: Map<string, ActiveAlert>): ReadinessOutcome {
    const changes: ReadinessChange[] = [];
    const levels = new Map<string, Level>();
    for (const hospital of this.#hospitals) {
      const over = [...alerts].filter(([, alert]) => environment.areaContains(alert.area, hospital.position));
      const level = over.reduce<Level>((highest, [, alert]) => (rank(this.#levelFor(alert.severity)) > rank(highest) ? this.#levelFor(alert.severity) : highest), 'normal');
      levels.set(hospital.id, level);
      const previousLevel = this.#levels.get(hospital.id) ?? 'normal';
      if (level === previousLevel) continue;
      const worst = over.find(([, alert]) => this.#levelFor(alert.severity) === level);
      changes.push({
        hospitalId: hospital.id,
        level,
        previousLevel,
        alertIds: over.map(([id]) => id),
        reason: worst === undefined ? 'no air-quality alert covers the hospital any more' : worst[1].description,
      });
    }
    return {
      changes,
      commit: () => {
        this.#alerts.clear();
        for (const [id, alert] of alerts) this.#alerts.set(id, alert);
        for (const [id, level] of levels) this.#levels.set(id, level);
      },
    };
  }

  #levelFor(severity: Severity): Level {
    const at = SEVERITIES.indexOf(severity);
    if (at >= SEVERITIES.indexOf(this.#thresholds.surge)) return 'surge';
    if (at >= SEVERITIES.indexOf(this.#thresholds.prepared)) return 'prepared';
    if (at >= SEVERITIES.indexOf(this.#thresholds.standby)) return 'standby';
    return 'normal';
  }
}

const rank = (level: Level) => LEVELS.indexOf(level);
