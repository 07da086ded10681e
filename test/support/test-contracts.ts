import { Type, defineEvent, defineQuery } from '@polis/plugin-api';

/** Small contracts for kernel and transport tests (the city's real ones live in @polis/contracts). */
export const SensorRead = defineEvent({
  type: 'test.sensor.read',
  version: 1,
  schema: Type.Object({ sensor: Type.String(), value: Type.Number({ minimum: 0 }) }),
});

export const SensorFailed = defineEvent({
  type: 'test.sensor.failed',
  version: 1,
  schema: Type.Object({ sensor: Type.String() }),
});

export const AlarmRaised = defineEvent({
  type: 'test.alarm.raised',
  version: 1,
  priority: 'emergency',
  schema: Type.Object({ level: Type.Integer({ minimum: 1, maximum: 5 }) }),
});

/**
 * Two versions of one event, BACKWARD compatible: v2 dropped `site`, which v1 reads with a
 * default. Each converts soundly into the other (test/conformance: version binding).
 */
export const MeterReadV1 = defineEvent({
  type: 'test.meter.read',
  version: 1,
  schema: Type.Object({ kwh: Type.Number(), site: Type.String({ default: 'unknown' }) }),
});

export const MeterReadV2 = defineEvent({
  type: 'test.meter.read',
  version: 2,
  schema: Type.Object({ kwh: Type.Number() }),
});

/**
 * v2 drops `meterId`, which v1 requires without a default: BACKWARD compatible (a v2 reader reads
 * v1 data), yet v2 events cannot be read as v1, so a v1 consumer next to a v2 producer is refused.
 */
export const BillingReadV1 = defineEvent({
  type: 'test.billing.read',
  version: 1,
  schema: Type.Object({ kwh: Type.Number(), meterId: Type.String() }),
});

export const BillingReadV2 = defineEvent({
  type: 'test.billing.read',
  version: 2,
  schema: Type.Object({ kwh: Type.Number() }),
});

/** v2 drops an optional property: each version reads the other. */
export const LevelReadV1 = defineEvent({
  type: 'test.level.read',
  version: 1,
  schema: Type.Object({ cm: Type.Number(), station: Type.Optional(Type.String()) }),
});

export const LevelReadV2 = defineEvent({
  type: 'test.level.read',
  version: 2,
  schema: Type.Object({ cm: Type.Number() }),
});

export const Echo = defineQuery({
  type: 'test.echo.ask',
  version: 1,
  request: Type.Object({ text: Type.String() }),
  response: Type.Object({ text: Type.String(), by: Type.String() }),
});
