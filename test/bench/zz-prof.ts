import { polisMemory } from './contenders/polis-memory.js';
const c = await polisMemory({ durationMs: 400, consumers: 1 });
for (let i = 0; i < 3; i++) await c.measure();
const t0 = Date.now(); const r = [];
while (Date.now() - t0 < 8000) r.push(await c.measure());
console.log(r.map((x) => Math.round(x)).join(' '));
await c.stop();
