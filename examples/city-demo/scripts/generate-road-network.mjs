// Writes road-network.json: the demo city's street grid in Futian, Shenzhen. Integrators would
// export this from their GIS; the demo generates it once so the data stays reviewable.
// Usage: node scripts/generate-road-network.mjs > road-network.json
const ROWS = 5;
const COLS = 5;
const SPACING_M = 400;
const ORIGIN = { lat: 22.5330, lon: 114.0450 };
const M_PER_DEG_LAT = 111_320;
const M_PER_DEG_LON = 111_320 * Math.cos((ORIGIN.lat * Math.PI) / 180);

const id = (r, c) => `n${r}${c}`;
const nodes = [];
for (let r = 0; r < ROWS; r++) {
  for (let c = 0; c < COLS; c++) {
    nodes.push({
      id: id(r, c),
      lat: +(ORIGIN.lat + (r * SPACING_M) / M_PER_DEG_LAT).toFixed(6),
      lon: +(ORIGIN.lon + (c * SPACING_M) / M_PER_DEG_LON).toFixed(6),
    });
  }
}
// Row 2 and column 2 are arterials: faster, with three lanes.
const arterial = (r1, c1, r2, c2) => (r1 === r2 && r1 === 2) || (c1 === c2 && c1 === 2);
const links = [];
const addLink = (r1, c1, r2, c2) => {
  const fast = arterial(r1, c1, r2, c2);
  links.push({ id: `${id(r1, c1)}-${id(r2, c2)}`, from: id(r1, c1), to: id(r2, c2), lengthM: SPACING_M, freeFlowSpeedKph: fast ? 60 : 50, lanes: fast ? 3 : 2 });
};
for (let r = 0; r < ROWS; r++) {
  for (let c = 0; c < COLS; c++) {
    if (c + 1 < COLS) addLink(r, c, r, c + 1), addLink(r, c + 1, r, c);
    if (r + 1 < ROWS) addLink(r, c, r + 1, c), addLink(r + 1, c, r, c);
  }
}
const intersections = nodes.map((node) => {
  const approaches = links.filter((l) => l.to === node.id);
  const [, r, c] = node.id.match(/^n(\d)(\d)$/).map(Number);
  const fromRow = (l) => Number(l.from[1]);
  const ns = approaches.filter((l) => fromRow(l) !== r).map((l) => l.id);
  const ew = approaches.filter((l) => fromRow(l) === r).map((l) => l.id);
  void c;
  const phase = (pid, served) => ({ id: pid, links: served, minGreenS: 10, yellowS: 3, allRedS: 2 });
  return { id: `x${node.id.slice(1)}`, node: node.id, phases: [phase('NS', ns), phase('EW', ew)], minCycleS: 40, maxCycleS: 120 };
});
const detectors = links.flatMap((l) => Array.from({ length: l.lanes }, (_, i) => ({ id: `d-${l.id}-${i + 1}`, link: l.id, lane: i + 1 })));
process.stdout.write(`${JSON.stringify({ nodes, links, intersections, detectors }, null, 1)}\n`);
