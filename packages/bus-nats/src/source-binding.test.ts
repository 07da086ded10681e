import { ErrorCodes, Type, defineEvent, definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { assertDeclaredSource, declaredPublishers } from './source-binding.js';

const Reading = defineEvent({ type: 'environment.air.measured', version: 1, schema: Type.Object({}) });
const station = definePlugin({ name: 'station', version: '1.0.0', kernel: '^1', publishes: [Reading], setup() {} });
const event = (source: string, type: string) => ({ source, type }) as CloudEvent;

describe('declared publishers', () => {
  it("bind a type to the plugins that publish it and to the components whose patterns cover it", () => {
    const publishers = declaredPublishers([station], [
      { source: 'city-sensors', publishes: ['environment.>'] },
      { source: 'mqtt', publishes: ['traffic.detector.reported'] },
    ]);
    expect(publishers(Reading.type)).toEqual(['station', 'city-sensors']);
    expect(publishers('traffic.detector.reported')).toEqual(['mqtt']);
    // A type nobody declares (the kernel's own) is not bound.
    expect(publishers('kernel.event.deadlettered')).toBeUndefined();
    expect(() => assertDeclaredSource(event('city-sensors', Reading.type), publishers)).not.toThrow();
    expect(() => assertDeclaredSource(event('mqtt', Reading.type), publishers)).toThrow(expect.objectContaining({ code: ErrorCodes.EVENT_SOURCE_UNDECLARED }));
  });

  it('answer the same for a type asked again, and for types past the remembered ones', () => {
    const publishers = declaredPublishers([station], [{ source: 'gateway', publishes: ['x.>'] }]);
    for (let i = 0; i < 10_050; i++) expect(publishers(`x.t${i}`)).toEqual(['gateway']);
    expect(publishers('x.t10049')).toEqual(['gateway']);
    expect(publishers('y.t')).toBeUndefined();
  });
});
