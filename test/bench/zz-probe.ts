import { Kernel, createLogger } from '@polis/kernel';
import { Type, defineEvent, definePlugin } from '@polis/plugin-api';
import { setImmediate as nextTurn } from 'node:timers/promises';

const V1 = defineEvent({ type: 'probe.meter.read', version: 1, schema: Type.Object({ kwh: Type.Number(), site: Type.String({ default: 'unknown' }), meterId: Type.String() }) });
const V2 = defineEvent({ type: 'probe.meter.read', version: 2, schema: Type.Object({ kwh: Type.Number(), meterId: Type.String() }) });

async function rig(mode: 'bound' | 'pattern' | 'convert') {
  let count = 0;
  let publish: () => Promise<unknown> = async () => undefined;
  const producer = definePlugin({ name: 'p', version: '1.0.0', kernel: '^1', publishes: [mode === 'convert' ? V2 : V1], setup(ctx) { publish = mode === 'convert' ? () => ctx.publish(V2, { kwh: 1, meterId: 'm' }) : () => ctx.publish(V1, { kwh: 1, site: 's', meterId: 'm' }); } });
  const consumer = definePlugin({ name: 'c', version: '1.0.0', kernel: '^1', consumes: mode === 'pattern' ? ['probe.>', V1] : [V1], setup(ctx) { if (mode === 'pattern') ctx.on('probe.>', () => void count++); else ctx.on(V1, (e) => void (count += e.data.kwh)); } });
  const kernel = new Kernel({ logger: createLogger({ level: 'silent' }) });
  await kernel.start([producer, consumer]);
  return { kernel, run: async (ms: number) => { const before = count; let sent = 0; const t = performance.now(); do { for (let i = 0; i < 1000; i++) void publish(); sent += 1000; await nextTurn(); } while (performance.now() - t < ms); while (count - before < sent) await nextTurn(); return sent / ((performance.now() - t) / 1000); } };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rigs = { bound: await rig('bound'), pattern: await rig('pattern'), convert: await rig('convert') };
const r: Record<string, number[]> = { bound: [], pattern: [], convert: [] };
for (const k of Object.keys(rigs)) await (rigs as any)[k].run(200);
for (let round = 0; round < 9; round++) for (const k of Object.keys(rigs)) r[k]!.push(await (rigs as any)[k].run(300));
const ratio = (a: string, b: string) => median(r[a]!.map((x, i) => x / r[b]![i]!));
console.log(JSON.stringify({ bound: median(r.bound!), pattern: median(r.pattern!), convert: median(r.convert!), boundVsPattern: ratio('bound', 'pattern'), convertVsBound: ratio('convert', 'bound') }));
for (const k of Object.keys(rigs)) await (rigs as any)[k].kernel.stop();
