import { describe, expect, it } from 'vitest';
import { readMeterValues } from './meter-values.js';

describe('readMeterValues', () => {
  it('reads a bare value as the energy register in Wh, the OCPP 1.6 default', () => {
    expect(readMeterValues([{ timestamp: '2026-01-01T08:00:00Z', sampledValue: [{ value: '1234' }] }])).toEqual({
      ok: true,
      reading: { atMs: Date.parse('2026-01-01T08:00:00Z'), registerWh: 1234, powerKw: undefined, socPct: undefined },
    });
  });

  it('converts units and sums phase powers when no total is given, and keeps the latest value', () => {
    const outcome = readMeterValues([
      { timestamp: '2026-01-01T08:00:00Z', sampledValue: [{ value: '1', measurand: 'Energy.Active.Import.Register', unit: 'kWh' }] },
      {
        timestamp: '2026-01-01T08:01:00Z',
        sampledValue: [
          { value: '12.5', measurand: 'Energy.Active.Import.Register', unit: 'kWh' },
          { value: '3680', measurand: 'Power.Active.Import', unit: 'W', phase: 'L1' },
          { value: '3680', measurand: 'Power.Active.Import', unit: 'W', phase: 'L2' },
          { value: '3680', measurand: 'Power.Active.Import', unit: 'W', phase: 'L3' },
          { value: '57', measurand: 'SoC', unit: 'Percent', context: 'Sample.Periodic' },
          { value: '16', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
        ],
      },
    ]);
    expect(outcome).toEqual({ ok: true, reading: { atMs: Date.parse('2026-01-01T08:01:00Z'), registerWh: 12_500, powerKw: expect.closeTo(11.04, 9), socPct: 57 } });
  });

  it('prefers a total power over the phases', () => {
    const outcome = readMeterValues([
      { timestamp: '2026-01-01T08:00:00Z', sampledValue: [{ value: '7', measurand: 'Power.Active.Import', unit: 'kW' }, { value: '9000', measurand: 'Power.Active.Import', unit: 'W', phase: 'L1' }] },
    ]);
    expect(outcome).toMatchObject({ ok: true, reading: { powerKw: 7 } });
  });

  it('refuses a value that is not a number, or a unit that does not fit, naming the path', () => {
    expect(readMeterValues([{ timestamp: '2026-01-01T08:00:00Z', sampledValue: [{ value: '12' }, { value: 'twelve', measurand: 'SoC', unit: 'Percent' }] }])).toEqual({
      ok: false,
      path: '/meterValue/0/sampledValue/1/value',
      reason: '"twelve" is not a number',
    });
    expect(readMeterValues([{ timestamp: '2026-01-01T08:00:00Z', sampledValue: [{ value: '12', measurand: 'Power.Active.Import', unit: 'Wh' }] }])).toMatchObject({
      ok: false,
      path: '/meterValue/0/sampledValue/0/unit',
    });
  });

  it('skips signed data and measurands it does not use', () => {
    expect(readMeterValues([{ timestamp: '2026-01-01T08:00:00Z', sampledValue: [{ value: 'AB12', format: 'SignedData' }, { value: 'x', measurand: 'Temperature' }] }])).toMatchObject({
      ok: true,
      reading: { registerWh: undefined },
    });
  });
});
