// Writes bins.json: the demo city's 300 street bins in Futian, Shenzhen, spread over the road grid
// (22.533-22.5474 N, 114.045-114.0606 E). A city would export these from its asset register; the
// demo generates them once, seeded, so the data stays reviewable.
// Usage: node scripts/generate-bins.mjs > bins.json
const COUNT = 300;
const SOUTH = 22.533;
const NORTH = 22.547373;
const WEST = 114.045;
const EAST = 114.060561;

// mulberry32, as the simulator uses.
let state = 2026;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// Street bins are mostly 240 l wheelie bins; markets and housing estates have 660 l and 1100 l ones.
const kinds = [
  { wasteKind: 'household', capacityL: 240, share: 0.6 },
  { wasteKind: 'recyclable', capacityL: 240, share: 0.2 },
  { wasteKind: 'kitchen', capacityL: 660, share: 0.15 },
  { wasteKind: 'household', capacityL: 1100, share: 0.05 },
];
const pick = () => {
  let x = random();
  for (const kind of kinds) if ((x -= kind.share) < 0) return kind;
  return kinds[0];
};

const bins = Array.from({ length: COUNT }, (_, i) => {
  const id = `bin-${String(i + 1).padStart(3, '0')}`;
  const { wasteKind, capacityL } = pick();
  const position = { lat: +(SOUTH + random() * (NORTH - SOUTH)).toFixed(6), lon: +(WEST + random() * (EAST - WEST)).toFixed(6) };
  // Every fourth bin is a FIWARE WasteContainer on the city's NGSI broker.
  return { id, position, capacityL, wasteKind, ...(i % 4 === 3 ? { fiwareId: `urn:ngsi-ld:WasteContainer:futian-${id}` } : {}) };
});
process.stdout.write(`${JSON.stringify(bins, null, 1)}\n`);
