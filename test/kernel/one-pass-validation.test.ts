import { Kernel, createLogger } from '@polis/kernel';
import { ErrorCodes, Type, defineEvent, definePlugin, serviceRef } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';

const ReadingV1 = defineEvent({ type: 'test.sensor.read', version: 1, schema: Type.Object({ value: Type.Number() }) });
const ReadingV1Other = defineEvent({ type: 'test.sensor.read', version: 1, schema: Type.Object({ value: Type.String() }) });
const Router = serviceRef<object>()('test.router');
const withConfig = Type.Object({ threshold: Type.Number() });

const check = (entries: Parameters<Kernel['check']>[0]) => new Kernel({ logger: createLogger({ level: 'silent' }) }).check(entries);

describe('a dry run reports every problem of every entry in one pass', () => {
  it('reports a duplicate name even when the duplicate also has an invalid config', async () => {
    const a = definePlugin({ name: 'sensor', version: '1.0.0', kernel: '^1', config: withConfig, setup() {} });
    const problems = await check([
      { plugin: a, config: { threshold: 1 } },
      { plugin: a, config: { threshold: 'high' } },
    ]);
    expect(problems.map((p) => p.code)).toEqual([ErrorCodes.PLUGIN_DUPLICATE]);
    expect(problems[0]!.details).toMatchObject({ entries: [0, 1] });
  });

  it('reports a schema conflict of a plugin whose config is invalid, beside the config problem', async () => {
    const first = definePlugin({ name: 'first', version: '1.0.0', kernel: '^1', publishes: [ReadingV1], setup() {} });
    const second = definePlugin({ name: 'second', version: '1.0.0', kernel: '^1', config: withConfig, publishes: [ReadingV1Other], setup() {} });
    const problems = await check([{ plugin: first }, { plugin: second, config: {} }]);
    expect(problems.map((p) => `${p.code} ${p.plugin}`).sort()).toEqual([`${ErrorCodes.CONFIG_INVALID} second`, `${ErrorCodes.SCHEMA_CONFLICT} second`]);
  });

  it('does not report a missing service when its provider only has an invalid config', async () => {
    const provider = definePlugin({ name: 'provider', version: '1.0.0', kernel: '^1', config: withConfig, provides: [Router], setup() {} });
    const user = definePlugin({ name: 'user', version: '1.0.0', kernel: '^1', needs: { router: Router }, setup() {} });
    const problems = await check([{ plugin: provider, config: {} }, { plugin: user }]);
    expect(problems.map((p) => `${p.code} ${p.plugin}`)).toEqual([`${ErrorCodes.CONFIG_INVALID} provider`]);
  });
});
