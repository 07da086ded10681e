import { describe, expect, it } from 'vitest';
import { SubjectIndex } from './subject-index.js';
import { matchesPattern, patternCovers, patternProblem } from './subject-pattern.js';

describe('SubjectIndex', () => {
  const build = (...patterns: string[]) => {
    const index = new SubjectIndex<string>();
    for (const pattern of patterns) index.add(pattern, pattern);
    return index;
  };

  it('matches exact types, single-token and tail wildcards as NATS does', () => {
    const index = build('traffic.incident.detected', 'traffic.*.detected', 'traffic.>', 'safety.>', '>', '*.*', 'traffic.*');
    expect([...index.match('traffic.incident.detected')].sort()).toEqual(['>', 'traffic.*.detected', 'traffic.>', 'traffic.incident.detected'].sort());
    expect([...index.match('traffic.signal')].sort()).toEqual(['*.*', '>', 'traffic.*', 'traffic.>'].sort());
    expect(index.match('safety.unit.dispatched')).toContain('safety.>');
    expect(index.match('safety')).toEqual(['>']);
  });

  it('does not let > match zero tokens', () => {
    const index = build('traffic.>');
    expect(index.match('traffic')).toEqual([]);
  });

  it('forgets removed entries, including cached results, and prunes empty branches', () => {
    const index = build('a.b.c', 'a.*.c', 'a.>');
    expect(index.match('a.b.c')).toHaveLength(3);
    index.remove('a.*.c', 'a.*.c');
    index.remove('a.>', 'a.>');
    expect(index.match('a.b.c')).toEqual(['a.b.c']);
    index.remove('a.b.c', 'a.b.c');
    expect(index.match('a.b.c')).toEqual([]);
    expect(index.size).toBe(0);
    expect((index as unknown as { root: { children: Map<string, unknown> } }).root.children.size).toBe(0);
  });

  it('keeps 10,000 patterns apart', () => {
    const index = new SubjectIndex<number>();
    for (let i = 0; i < 10_000; i++) index.add(i % 2 ? `city.s${i}.reading` : `city.*.r${i}`, i);
    expect(index.match('city.s7.reading')).toEqual([7]);
    expect(index.match('city.x.r8')).toEqual([8]);
  });
});

describe('subject patterns', () => {
  it('explains what makes a pattern invalid', () => {
    expect(patternProblem('traffic.>.x')).toMatch(/'>' may only be the last token/);
    expect(patternProblem('traffic..x')).toMatch(/token ''/);
    expect(patternProblem('traffic.incident.*')).toBeUndefined();
  });

  it('matches single types against patterns', () => {
    expect(matchesPattern('traffic.*.detected', 'traffic.incident.detected')).toBe(true);
    expect(matchesPattern('traffic.*', 'traffic.incident.detected')).toBe(false);
    expect(matchesPattern('>', 'a')).toBe(true);
  });

  it('knows when one pattern covers another', () => {
    expect(patternCovers('traffic.>', 'traffic.incident.*')).toBe(true);
    expect(patternCovers('traffic.*.detected', 'traffic.incident.detected')).toBe(true);
    expect(patternCovers('traffic.incident.*', 'traffic.>')).toBe(false);
    expect(patternCovers('traffic.*.detected', 'traffic.*.cleared')).toBe(false);
  });
});
