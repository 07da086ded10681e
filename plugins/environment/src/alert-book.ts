import type { environment } from '@polis/contracts';
import type { EventData, Static } from '@polis/plugin-api';
import type { LevelHysteresis } from './algorithms/level-hysteresis.js';
import { nextLevel } from './algorithms/level-hysteresis.js';
import type { EnvironmentConfig } from './config.js';

type Pollutant = environment.Pollutant;

type Severity = Static<typeof environment.AlertSeverity>;
type RaisedData = EventData<typeof environment.AlertRaised>;
type UpdatedData = EventData<typeof environment.AlertUpdated>;
type ClearedData = EventData<typeof environment.AlertCleared>;

/** What an alert is about: a station's area or a zone. */
export interface AlertSubject {
  readonly scope: 'station' | 'zone';
  readonly id: string;
  readonly name: string;
  readonly area: environment.AlertArea;
}

/** One index value of the alert's standard, for a subject, at a time. */
export interface IndexValue {
  readonly aqi: number;
  readonly category: RaisedData['category'];
  readonly primaryPollutants: readonly Pollutant[];
  readonly observedAtMs: number;
}

/** The upper limits of both standards' categories, and the severity an index above each has. */
const SEVERITY_ABOVE: ReadonlyArray<readonly [limit: number, severity: Severity]> = [
  [50, 'informational'],
  [100, 'low'],
  [150, 'medium'],
  [200, 'high'],
  [300, 'critical'],
];

interface AlertState {
  readonly level: number;
  readonly alertId?: string;
}

export type AlertTransition =
  | { readonly kind: 'raised'; readonly data: RaisedData }
  | { readonly kind: 'updated'; readonly data: UpdatedData }
  | { readonly kind: 'cleared'; readonly data: ClearedData };

/** A transition to publish and the state to commit once it is published. */
export interface Assessment {
  readonly transition: AlertTransition | undefined;
  readonly commit: () => void;
}

/**
 * Alerts per station and per zone, with hysteresis: raised when the index rises above
 * `raiseAbove`, re-graded as it crosses the category limits above that (Unhealthy for Sensitive
 * Groups / 轻度污染 -> low, Unhealthy / 中度 -> medium, Very Unhealthy / 重度 -> high, Hazardous /
 * 严重 -> critical; above 50 -> informational if alerts start there), and stepped down or cleared
 * only once the index is `deadBand` below the limit it crossed. Assessing changes nothing; the
 * caller commits after publishing, so a retried handler assesses the same again.
 */
export class AlertBook {
  readonly #levels: LevelHysteresis;
  readonly #severities: readonly Severity[];
  readonly #standard: EnvironmentConfig['alerts']['standard'];
  readonly #states = new Map<string, AlertState>();

  constructor(options: EnvironmentConfig['alerts']) {
    const used = SEVERITY_ABOVE.filter(([limit]) => limit >= options.raiseAbove);
    this.#levels = { thresholds: used.map(([limit]) => limit), deadBand: options.deadBand };
    this.#severities = used.map(([, severity]) => severity);
    this.#standard = options.standard;
  }

  assess(subject: AlertSubject, value: IndexValue): Assessment {
    const key = `${subject.scope}:${subject.id}`;
    const current = this.#states.get(key) ?? { level: 0 };
    const level = nextLevel(current.level, value.aqi, this.#levels);
    const unchanged = { transition: undefined, commit: () => {} };
    if (level === current.level) return unchanged;

    const common = {
      scope: subject.scope,
      subjectId: subject.id,
      name: subject.name,
      area: subject.area,
      standard: this.#standard,
      aqi: value.aqi,
      observedAt: new Date(value.observedAtMs).toISOString(),
    };
    const commitTo = (next: AlertState) => () => this.#states.set(key, next);
    if (level === 0) {
      const data = { alertId: current.alertId!, ...common };
      return { transition: { kind: 'cleared', data }, commit: commitTo({ level: 0 }) };
    }
    const graded = { ...common, category: value.category, severity: this.#severities[level - 1]!, primaryPollutants: [...value.primaryPollutants] };
    if (current.level === 0) {
      // Deterministic: a retried attempt raises the same alert under the same id.
      const alertId = `AQ-${subject.id}-${common.observedAt.slice(0, 19).replace(/[-:]/g, '')}`;
      return { transition: { kind: 'raised', data: { alertId, ...graded } }, commit: commitTo({ level, alertId }) };
    }
    const data = { alertId: current.alertId!, ...graded, previousSeverity: this.#severities[current.level - 1]! };
    return { transition: { kind: 'updated', data }, commit: commitTo({ level, alertId: current.alertId! }) };
  }
}
