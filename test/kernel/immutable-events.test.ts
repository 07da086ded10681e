import { EventDeadLettered, definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { recordingPlugin } from '../support/recording-plugin.js';
import { describe, expect, it } from 'vitest';
import { SensorRead } from '../support/test-contracts.js';

describe('events are read-only', () => {
  it('makes a handler that mutates an event fail under the test kit, instead of corrupting what other plugins see', async () => {
    const seen: CloudEvent[] = [];
    const vandal = definePlugin({
      name: 'vandal',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        ctx.on(SensorRead, (event) => {
          (event.data as { value: number }).value = -1;
        });
      },
    });
    const reader = recordingPlugin('reader', [SensorRead], seen);
    const kit = await startTestKernel({ plugins: [vandal, reader] });
    const data = { sensor: 's', value: 4 };
    await kit.publish(SensorRead, data);
    const letter = await kit.expectEvent(EventDeadLettered, { within: 2000 });
    expect(letter.data).toMatchObject({ plugin: 'vandal', reason: expect.stringMatching(/read only|read-only|Cannot assign/i) });
    expect(seen.map((event) => event.data)).toEqual([{ sensor: 's', value: 4 }]);
    expect(() => {
      data.value = 5;
    }).toThrow(TypeError);
    await kit.stop();
  });
});
