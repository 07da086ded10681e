import { describe, expect, it } from 'vitest';
import { IncidentBook, kindsCompatible } from './incident-book.js';
import type { Report } from './report.js';

const HERE = { lat: 30.25, lon: 120.16 };
/** A point `m` metres north of HERE (1 degree of latitude = 111 195 m). */
const north = (m: number) => ({ lat: HERE.lat + m / 111_195.08, lon: HERE.lon });
const T0 = Date.UTC(2026, 0, 1, 8);

const report = (reportId: string, over: Partial<Report> = {}): Report => ({
  reportId,
  kind: 'collision',
  position: HERE,
  reportedAtMs: T0,
  casualties: 0,
  channel: 'call',
  ...over,
});

describe('incident book', () => {
  const window = { mergeDistanceM: 300, mergeWindowS: 900 };

  it('merges a report within the distance and the time window, either side of the latest report', () => {
    const book = new IncidentBook(window);
    const incident = book.open('INC-1', report('R1'));
    expect(book.mergeTarget(report('R2', { position: north(299), reportedAtMs: T0 + 900_000 }))).toBe(incident);
    expect(book.mergeTarget(report('R3', { reportedAtMs: T0 - 900_000 }))).toBe(incident);
  });

  it('does not merge a report just outside the distance or the window', () => {
    const book = new IncidentBook(window);
    book.open('INC-1', report('R1'));
    expect(book.mergeTarget(report('R2', { position: north(301) }))).toBeUndefined();
    expect(book.mergeTarget(report('R3', { reportedAtMs: T0 + 900_001 }))).toBeUndefined();
  });

  it('slides the window with each merged report', () => {
    const book = new IncidentBook(window);
    const incident = book.open('INC-1', report('R1'));
    book.merge(incident, report('R2', { reportedAtMs: T0 + 600_000 }));
    expect(book.mergeTarget(report('R3', { reportedAtMs: T0 + 1_400_000 }))).toBe(incident);
  });

  it('picks the nearest of several open incidents', () => {
    const book = new IncidentBook(window);
    book.open('INC-1', report('R1'));
    const nearer = book.open('INC-2', report('R2', { position: north(200) }));
    expect(book.mergeTarget(report('R3', { position: north(150) }))).toBe(nearer);
  });

  it('keeps the most casualties any report gave and recomputes severity from every kind', () => {
    const book = new IncidentBook(window);
    const incident = book.open('INC-1', report('R1', { casualties: 1 }));
    book.merge(incident, report('R2', { kind: 'medical', casualties: 3 }));
    book.merge(incident, report('R3', { casualties: 2 }));
    expect(incident).toMatchObject({ casualties: 3, severity: 4, reportIds: ['R1', 'R2', 'R3'] });
    expect(book.incidentOfReport('R2')).toBe(incident);
  });

  it('treats a medical call or an unspecific report as compatible with any kind, but not fire with crime', () => {
    expect(kindsCompatible('collision', 'medical')).toBe(true);
    expect(kindsCompatible('other', 'fire')).toBe(true);
    expect(kindsCompatible('fire', 'crime')).toBe(false);
  });

  it('forgets closed incidents', () => {
    const book = new IncidentBook(window);
    book.open('INC-1', report('R1'));
    book.close('INC-1');
    expect(book.mergeTarget(report('R2'))).toBeUndefined();
    expect(book.incidentOfReport('R1')).toBeUndefined();
  });
});
