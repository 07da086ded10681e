import { ErrorCodes } from '@polis/plugin-api';
import { RecentWindow } from '@polis/kernel/transport';
import { describe, expect, it } from 'vitest';
import { SubjectScheme, durableName, subjectToken } from './subject-scheme.js';

describe('where Polis puts things on NATS', () => {
  it('puts events under <prefix>.evt.<publisher> and queries under <prefix>.rpc; subscriptions hear every publisher', () => {
    const scheme = new SubjectScheme('city.test-1');
    expect(scheme.published('traffic', 'traffic.incident.detected')).toBe('city.test-1.evt.traffic.traffic.incident.detected');
    expect(scheme.published('@acme/parking', 'mobility.lot.filled')).toBe('city.test-1.evt._40acme_2Fparking.mobility.lot.filled');
    expect(scheme.event('traffic.*.detected')).toBe('city.test-1.evt.*.traffic.*.detected');
    expect(scheme.rpc('traffic.route.find')).toBe('city.test-1.rpc.traffic.route.find');
    expect(scheme.eventRoot).toBe('city.test-1.evt.');
    expect(scheme.rpcRoot).toBe('city.test-1.rpc.');
    expect(scheme.defaultStream).toBe('CITY_TEST-1_EVENTS');
    expect(new SubjectScheme().event('a.b.c')).toBe('polis.evt.*.a.b.c');
  });

  it('refuses a prefix that is not dot-separated subject tokens', () => {
    for (const prefix of ['', 'a..b', 'a.*', 'a b', 'a.>']) {
      expect(() => new SubjectScheme(prefix)).toThrow(expect.objectContaining({ code: ErrorCodes.ARGUMENT_INVALID }));
    }
  });

  it('names a durable consumer per (group, pattern): stable, valid, and distinct for pairs that sanitize alike', () => {
    const name = durableName('counter', 'test.sensor.*');
    expect(name).toBe(durableName('counter', 'test.sensor.*'));
    expect(name).toMatch(/^counter__test_sensor_STAR_[0-9a-f]{10}$/);
    expect(durableName('@acme/parking', 'a.>')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(durableName('a_b', 'c.d.e')).not.toBe(durableName('a.b', 'c.d.e'));
    expect(durableName('a', 'b_c.d.e')).not.toBe(durableName('a', 'b.c.d.e'));
  });

  it('makes one subject token of a plugin name, never the same for two names', () => {
    expect(subjectToken('traffic')).toBe('traffic');
    expect(subjectToken('@acme/parking')).toBe('_40acme_2Fparking');
    expect(subjectToken('a.b')).not.toBe(subjectToken('a_b'));
  });

  it('remembers the most recent ids only', () => {
    const window = new RecentWindow(2);
    for (const id of ['a', 'b', 'c']) window.add(id);
    expect([window.has('a'), window.has('b'), window.has('c')]).toEqual([false, true, true]);
  });
});
