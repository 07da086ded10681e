import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';

const Level = Type.Object({
  acknowledgeMin: Type.Number({ exclusiveMinimum: 0 }),
  resolveMin: Type.Number({ exclusiveMinimum: 0 }),
});

/** Service levels for one service code, per priority. */
const ServiceLevels = Type.Object({ low: Level, normal: Level, urgent: Level });

export const CitizenServicesConfig = Type.Object({
  /** Per service code; a code left out keeps its default levels. */
  slas: Type.Record(Type.String(), ServiceLevels, { default: {} }),
});

export type CitizenServicesConfig = Static<typeof CitizenServicesConfig>;
export type Priority = 'low' | 'normal' | 'urgent';
export type Level = Static<typeof Level>;

/** Which department answers a service code. */
export const DEPARTMENTS: Readonly<Record<string, string>> = {
  'bin-overflow': 'waste',
  'signal-broken': 'traffic',
  'smoke-smell': 'environment',
  'road-hazard': 'public-safety',
};

/** The city's default promises, in minutes: urgent cases get half the time, low ones twice. */
const DEFAULTS: Readonly<Record<string, Static<typeof ServiceLevels>>> = {
  'bin-overflow': { low: { acknowledgeMin: 60, resolveMin: 480 }, normal: { acknowledgeMin: 30, resolveMin: 240 }, urgent: { acknowledgeMin: 15, resolveMin: 120 } },
  'signal-broken': { low: { acknowledgeMin: 30, resolveMin: 240 }, normal: { acknowledgeMin: 15, resolveMin: 120 }, urgent: { acknowledgeMin: 5, resolveMin: 60 } },
  'smoke-smell': { low: { acknowledgeMin: 40, resolveMin: 360 }, normal: { acknowledgeMin: 20, resolveMin: 180 }, urgent: { acknowledgeMin: 10, resolveMin: 90 } },
  'road-hazard': { low: { acknowledgeMin: 10, resolveMin: 120 }, normal: { acknowledgeMin: 5, resolveMin: 60 }, urgent: { acknowledgeMin: 2, resolveMin: 30 } },
};

/** The level a case of this service and priority is held to (undefined: no department answers it). */
export function serviceLevel(config: CitizenServicesConfig, serviceCode: string, priority: Priority): Level | undefined {
  return (config.slas[serviceCode] ?? DEFAULTS[serviceCode])?.[priority];
}
