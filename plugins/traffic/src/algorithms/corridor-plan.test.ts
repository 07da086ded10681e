import { describe, expect, it } from 'vitest';
import { planGreenCorridor, preemptedGreenS, type SignalState } from './corridor-plan.js';
import { RoadNetwork, type PhaseSpec } from './road-network.js';
import { fastestRoute, type Route } from './shortest-path.js';

/*
 * An arterial, every link at 36 km/h = 10 m/s, with side streets X1-X3 feeding the signals:
 *
 *   S ──500 m──▶ J1 ──200 m──▶ U ──100 m──▶ J2 ──300 m──▶ J3
 *                ▲                          ▲             ▲
 *                X1                         X2            X3
 *
 * From S: J1 at 50 s, U (no signal) at 70 s, J2 at 80 s, J3 at 110 s.
 * I1 at J1: main [S→J1] 10 s min green, 4 + 2 s clearance; side [X1→J1] 15 s, 3 + 2 s.
 * I2 at J2: main [U→J2] 10 s, 4 + 2 s; side [X2→J2] 8 s, 5 + 3 s.
 * I3 at J3 only serves its side street, so the arterial approach J2→J3 has no phase.
 */
function arterial(i1Side: Partial<PhaseSpec> = {}): RoadNetwork {
  const node = (id: string, lat: number, lon: number) => ({ id, lat, lon });
  const link = (from: string, to: string, lengthM: number) => ({ id: `${from}-${to}`, from, to, lengthM, freeFlowSpeedKph: 36, lanes: 1 });
  return new RoadNetwork({
    nodes: [
      ...[node('S', 0, 0), node('J1', 0, 0.0045), node('U', 0, 0.0063), node('J2', 0, 0.0072), node('J3', 0, 0.0099)],
      ...[node('X1', 0.002, 0.0045), node('X2', 0.002, 0.0072), node('X3', 0.002, 0.0099)],
    ],
    links: [
      ...[link('S', 'J1', 500), link('J1', 'U', 200), link('U', 'J2', 100), link('J2', 'J3', 300)],
      ...[link('X1', 'J1', 250), link('X2', 'J2', 250), link('X3', 'J3', 250)],
    ],
    intersections: [
      {
        id: 'I1',
        node: 'J1',
        minCycleS: 40,
        maxCycleS: 120,
        phases: [
          { id: 'main', links: ['S-J1'], minGreenS: 10, yellowS: 4, allRedS: 2 },
          { id: 'side', links: ['X1-J1'], minGreenS: 15, yellowS: 3, allRedS: 2, ...i1Side },
        ],
      },
      {
        id: 'I2',
        node: 'J2',
        minCycleS: 40,
        maxCycleS: 120,
        phases: [
          { id: 'main', links: ['U-J2'], minGreenS: 10, yellowS: 4, allRedS: 2 },
          { id: 'side', links: ['X2-J2'], minGreenS: 8, yellowS: 5, allRedS: 3 },
        ],
      },
      { id: 'I3', node: 'J3', minCycleS: 40, maxCycleS: 120, phases: [{ id: 'side', links: ['X3-J3'], minGreenS: 10, yellowS: 3, allRedS: 2 }] },
    ],
    detectors: [],
  });
}

const D = Date.UTC(2025, 0, 15, 8, 0, 0);
const s = (seconds: number) => D + seconds * 1000;

function routeOf(network: RoadNetwork, from: string, to: string): Route {
  const route = fastestRoute(network, from, to);
  if (route === undefined) throw new Error(`no route ${from} → ${to}`);
  return route;
}

describe('planGreenCorridor', () => {
  it('opens each window early enough for the worst conflicting phase and holds green until the vehicle has passed', () => {
    const network = arterial();
    const plan = planGreenCorridor({ network, route: routeOf(network, 'S', 'J3'), departureMs: D });
    expect(plan.windows).toEqual([
      // I1: ETA 50 s; green from 50 − 15 = 35 s; worst switch = side's 15 + 3 + 2 = 20 s → start at 15 s.
      // Held until 50 + 5 = 55 s, restored after main's 4 + 2 s clearance at 61 s.
      { intersectionId: 'I1', nodeId: 'J1', approachLinkId: 'S-J1', phaseId: 'main', etaMs: s(50), windowStartMs: s(15), greenFromMs: s(35), windowEndMs: s(55), restoreAtMs: s(61) },
      // I2: ETA 80 s; green from 65 s; worst switch = side's 8 + 5 + 3 = 16 s → start at 49 s; end 85 s; restore 91 s.
      { intersectionId: 'I2', nodeId: 'J2', approachLinkId: 'U-J2', phaseId: 'main', etaMs: s(80), windowStartMs: s(49), greenFromMs: s(65), windowEndMs: s(85), restoreAtMs: s(91) },
    ]);
  });

  it('reports an approach that no phase serves instead of failing', () => {
    const network = arterial();
    const plan = planGreenCorridor({ network, route: routeOf(network, 'S', 'J3'), departureMs: D });
    expect(plan.unserved).toEqual([
      { intersectionId: 'I3', nodeId: 'J3', approachLinkId: 'J2-J3', etaMs: s(110), reason: 'no phase of intersection "I3" serves approach link "J2-J3"' },
    ]);
  });

  it('starts the window earlier when a conflicting phase needs a longer min green and clearance', () => {
    // I1's side phase with 5 s yellow and 4 s all-red: worst switch 15 + 5 + 4 = 24 s, so 50 − 15 − 24 = 11 s.
    const network = arterial({ yellowS: 5, allRedS: 4 });
    const [i1] = planGreenCorridor({ network, route: routeOf(network, 'S', 'J3'), departureMs: D }).windows;
    expect(i1?.windowStartMs).toBe(s(11));
    expect(i1?.greenFromMs).toBe(s(35));
  });

  it('uses lead and clear times when given', () => {
    const network = arterial();
    const [i1] = planGreenCorridor({ network, route: routeOf(network, 'S', 'J3'), departureMs: D, leadTimeS: 10, clearTimeS: 8 }).windows;
    // Green from 50 − 10 = 40 s, start 40 − 20 = 20 s, end 50 + 8 = 58 s, restore 64 s.
    expect(i1).toMatchObject({ windowStartMs: s(20), greenFromMs: s(40), windowEndMs: s(58), restoreAtMs: s(64) });
  });

  it('does not plan the signal the vehicle starts from, nor unsignalised nodes', () => {
    const network = arterial();
    const plan = planGreenCorridor({ network, route: routeOf(network, 'J1', 'J2'), departureMs: D });
    expect(plan.windows.map((window) => window.intersectionId)).toEqual(['I2']);
  });

  describe('when the window would have to open before departure', () => {
    // From U: J2 at 10 s, so the worst case would need a start at 10 − 15 − 16 = −21 s: it opens at departure.
    function planFromU(signals: SignalState[]) {
      const network = arterial();
      return planGreenCorridor({ network, route: routeOf(network, 'U', 'J3'), departureMs: D, signals });
    }

    it('lets a conflicting green finish its min green and full clearance, so the vehicle may meet red and wait', () => {
      // Side green for 3 s: 8 − 3 = 5 s more green, then 5 + 3 s clearance: green at 13 s, after the 10 s ETA.
      const plan = planFromU([{ intersectionId: 'I2', phaseId: 'side', interval: 'green', elapsedS: 3 }]);
      // The vehicle passes when green comes: held until 13 + 5 = 18 s, restored at 18 + 6 = 24 s.
      expect(plan.windows).toEqual([
        { intersectionId: 'I2', nodeId: 'J2', approachLinkId: 'U-J2', phaseId: 'main', etaMs: s(10), windowStartMs: D, greenFromMs: s(13), windowEndMs: s(18), restoreAtMs: s(24) },
      ]);
      // The 3 s wait delays the arrival at J3: 40 + 3 = 43 s.
      expect(plan.unserved[0]?.etaMs).toBe(s(43));
    });

    it('only adds the clearance once a conflicting phase is past its min green', () => {
      // Side green for 20 s (min 8 s): yellow 5 + all-red 3 → green at 8 s, before the 10 s ETA.
      const [window] = planFromU([{ intersectionId: 'I2', phaseId: 'side', interval: 'green', elapsedS: 20 }]).windows;
      expect(window).toMatchObject({ windowStartMs: D, greenFromMs: s(8), windowEndMs: s(15), restoreAtMs: s(21) });
    });

    it('never shortens a yellow or all-red already running', () => {
      // Side yellow for 1 s: 4 s of yellow left, then 3 s all-red → green at 7 s.
      expect(planFromU([{ intersectionId: 'I2', phaseId: 'side', interval: 'yellow', elapsedS: 1 }]).windows[0]?.greenFromMs).toBe(s(7));
      // Side all-red for 1 s: 2 s left → green at 2 s.
      expect(planFromU([{ intersectionId: 'I2', phaseId: 'side', interval: 'all-red', elapsedS: 1 }]).windows[0]?.greenFromMs).toBe(s(2));
    });

    it('holds the green already showing for the approach', () => {
      expect(planFromU([{ intersectionId: 'I2', phaseId: 'main', interval: 'green', elapsedS: 30 }]).windows[0]?.greenFromMs).toBe(D);
    });

    it('assumes the worst switch when the controller state is unknown', () => {
      // Worst switch 16 s: green at 16 s, a 6 s wait after the 10 s ETA.
      const plan = planFromU([]);
      expect(plan.windows[0]).toMatchObject({ greenFromMs: s(16), windowEndMs: s(21) });
      expect(plan.unserved[0]?.etaMs).toBe(s(46));
    });
  });

  it('rejects a route that does not match the network and unknown signal states', () => {
    const network = arterial();
    const route = routeOf(network, 'S', 'J3');
    expect(() => planGreenCorridor({ network, route: { ...route, links: ['S-J1', 'U-J2', 'J1-U', 'J2-J3'] }, departureMs: D })).toThrow(
      'route.links[1]: link "U-J2" goes U → J2, not J1 → U',
    );
    expect(() => planGreenCorridor({ network, route: { ...route, links: ['S-J1'] }, departureMs: D })).toThrow('route: needs n nodes, n - 1 links and n arrival times, got 5, 1 and 5');
    expect(() => planGreenCorridor({ network, route: { ...route, arrivalsS: [0, 50, 40, 80, 110] }, departureMs: D })).toThrow(
      'route.arrivalsS[2]: must be a finite number >= 50, got 40',
    );
    const signal: SignalState = { intersectionId: 'I2', phaseId: 'side', interval: 'green', elapsedS: 0 };
    expect(() => planGreenCorridor({ network, route, departureMs: D, signals: [{ ...signal, intersectionId: 'I9' }] })).toThrow('signals[0].intersectionId: unknown intersection "I9"');
    expect(() => planGreenCorridor({ network, route, departureMs: D, signals: [{ ...signal, phaseId: 'left' }] })).toThrow('signals[0].phaseId: intersection "I2" has no phase "left"');
    expect(() => planGreenCorridor({ network, route, departureMs: D, signals: [signal, signal] })).toThrow('signals[1].intersectionId: a second state for intersection "I2"');
    expect(() => planGreenCorridor({ network, route, departureMs: D, signals: [{ ...signal, elapsedS: -1 }] })).toThrow('signals[0].elapsedS: must be a finite number >= 0, got -1');
    expect(() => planGreenCorridor({ network, route, departureMs: D, leadTimeS: -5 })).toThrow('leadTimeS: must be a finite number >= 0, got -5');
  });
});

describe('preemptedGreenS', () => {
  const phase = { id: 'P', links: [], minGreenS: 20, yellowS: 3, allRedS: 2 };
  it('runs a pre-empted green to its min green when the phase has no pedestrian signal', () => {
    expect(preemptedGreenS(phase, 2)).toBe(20);
  });

  it('cuts the pedestrian walk short but serves the clearance in full', () => {
    const withPedestrians = { ...phase, pedestrianClearanceS: 8 };
    // Walk 0-12 s, clearance 12-20 s. Pre-empted 2 s in: walk ends, 8 s clearance, green ends at 10 s.
    expect(preemptedGreenS(withPedestrians, 2)).toBe(10);
    // During the clearance: it finishes at 20 s.
    expect(preemptedGreenS(withPedestrians, 15)).toBe(20);
    // After the min green: the green may end now.
    expect(preemptedGreenS(withPedestrians, 25)).toBe(20);
  });
});
