import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCityCopy, polis } from '../support/polis-command.js';

// The shadow test of issue #11: record the demo city, then replay public-safety against the
// recording: unchanged, nothing differs; a changed version, each difference is reported.
describe('polis record and polis replay', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'polis-replay-'));
  const recording = join(scratch, 'demo.ndjson');
  const city = demoCityCopy('record');
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    city.remove();
  });

  beforeAll(async () => {
    const recorded = await polis('record', city.file, '--out', recording, '--duration', '8');
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toMatch(/recorded \d+ events to /);
  }, 90_000);

  it('writes a header, CloudEvents with their causation (queries and replies included), and a footer', () => {
    const lines = readFileSync(recording, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ polisRecording: 1, deployment: 'demo-city', clockSpeed: 60 });
    expect((lines[0]!.plugins as { name: string }[]).map((p) => p.name)).toEqual(['traffic', 'public-safety', 'healthcare', 'environment', 'mobility-energy', 'simulator', 'air-quality-simulator', 'waste', 'waste-simulator', 'energy-simulator', 'citizen-services', 'citizen-simulator', 'city-log']);
    const footer = lines.at(-1)!.polisRecordingEnd as { events: number; schemas: unknown[] };
    const body = lines.slice(1, -1);
    const events = body.filter((line) => !('polisDelivered' in line)) as { specversion: string; type: string; source: string; causationid?: string; id: string }[];
    expect(footer.events).toBe(events.length);
    // When each plugin's handler was handed each event: replay's clock follows it.
    const deliveries = body.filter((line) => 'polisDelivered' in line).map((line) => line.polisDelivered as { group: string; id: string; at: number });
    const ids = new Set(events.map((e) => e.id));
    expect(deliveries.some((d) => d.group === 'public-safety')).toBe(true);
    for (const delivery of deliveries) expect(ids.has(delivery.id)).toBe(true);
    expect(footer.schemas.length).toBeGreaterThan(10);
    expect(events.every((e) => e.specversion === '1.0')).toBe(true);
    const dispatched = events.filter((e) => e.type === 'safety.unit.dispatched');
    expect(dispatched.length).toBeGreaterThan(0);
    for (const event of dispatched) expect(ids.has(event.causationid!)).toBe(true);
    const replies = events.filter((e) => e.type === 'traffic.route.find.reply');
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) expect(events.find((e) => e.id === reply.causationid)?.type).toBe('traffic.route.find');
  });

  it('finds no difference for the unchanged plugin', async () => {
    const result = await polis('replay', recording, '--plugin', './plugins/public-safety');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^replayed .* against public-safety@1\.0\.0: \d+ inputs, (\d+) outputs recorded, \1 replayed$/m);
    expect(result.stdout).toMatch(/^no differences$/m);
    expect(result.code).toBe(0);
  }, 60_000);

  it('reports each difference of a changed version, event by event, and exits 1', async () => {
    const result = await polis('replay', recording, '--plugin', './test/fixtures/replay/public-safety-v2.ts');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/against public-safety@1\.1\.0/);
    const changed = result.stdout.match(/^CHANGED  safety\.unit\.dispatched caused by \S+ \(recorded at line \d+\): \/data\/etaS: ([\d.]+) -> ([\d.]+)$/m);
    expect(changed, result.stdout).not.toBeNull();
    expect(Number(changed![2]) - Number(changed![1])).toBeCloseTo(60, 5);
    expect(result.stdout).toMatch(/^EXTRA    safety\.unit\.dispatched caused by \S+ was sent, but not in the recording: /m);
    expect(result.stdout).toMatch(/^MISSING  safety\.incident\.closed caused by \S+ \(recorded at line \d+\) was not sent$/m);
    expect(result.stdout).toMatch(/^\d+ difference\(s\)$/m);
  }, 60_000);
});
