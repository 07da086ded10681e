import { describe, expect, it } from 'vitest';
import { withPhaseLimits } from './actuated-programs.js';

const crossing = `<tlLogic id="x11" type="actuated" programID="actuated-city" offset="0">
        <phase duration="42" state="GGgrrr" minDur="5" maxDur="50"/>
        <phase duration="4"  state="yyyrrr"/>
        <phase duration="42" state="rrrGGg" minDur="7" maxDur="50"/>
        <phase duration="3"  state="rrryyy"/>
    </tlLogic>`;

describe('withPhaseLimits', () => {
  it("keeps netconvert's phases and gap-out but applies the min green, yellow and an all-red after each yellow", () => {
    const program = withPhaseLimits(crossing, { minGreenS: 10, yellowS: 3, allRedS: 2 });
    const phases = [...program.matchAll(/<phase duration="(\d+)"\s+state="(\w+)"(?: minDur="(\d+)" maxDur="(\d+)")?\/>/g)].map((m) => m.slice(1).filter(Boolean));
    expect(phases).toEqual([
      ['42', 'GGgrrr', '10', '50'],
      ['3', 'yyyrrr'],
      ['2', 'rrrrrr'],
      ['42', 'rrrGGg', '10', '50'],
      ['3', 'rrryyy'],
      ['2', 'rrrrrr'],
    ]);
    expect(program).toMatch(/^<tlLogic id="x11" type="actuated"[^>]*>\n {8}<phase/);
    expect(program).toMatch(/<\/tlLogic>$/);
  });

  it('runs a program whose greens never differ (a corner) as one fixed green', () => {
    const corner = crossing.replace(/GGgrrr|rrrGGg/g, 'GGGGGG');
    const program = withPhaseLimits(corner, { minGreenS: 10, yellowS: 3, allRedS: 2 });
    expect(program).toContain('type="static"');
    expect([...program.matchAll(/<phase /g)]).toHaveLength(1);
    expect(program).toContain('state="GGGGGG"');
  });

  it('leaves a signal without limits as netconvert made it', () => {
    expect(withPhaseLimits(crossing, undefined)).toBe(crossing);
  });
});
