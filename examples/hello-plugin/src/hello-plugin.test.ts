import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import hello, { VisitorArrived, VisitorGreeted } from './index.js';

describe('hello plugin', () => {
  it('greets a visitor with the configured greeting, as a reply to the arrival', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: hello, config: { greeting: 'Welcome' } }] });
    const arrival = await kit.publish(VisitorArrived, { name: 'Ada' });
    const greeting = await kit.expectEvent(VisitorGreeted, { within: 1000 });
    expect(greeting.data).toEqual({ message: 'Welcome, Ada!' });
    expect(greeting.causationid).toBe(arrival.id);
    await kit.stop();
  });

  it('says Hello when no greeting is configured', async () => {
    const kit = await startTestKernel({ plugins: [hello] });
    await kit.publish(VisitorArrived, { name: 'Grace' });
    expect((await kit.expectEvent(VisitorGreeted)).data.message).toBe('Hello, Grace!');
    await kit.stop();
  });

  it('refuses a nameless visitor before the plugin sees it', async () => {
    const kit = await startTestKernel({ plugins: [hello] });
    await expect(kit.publish(VisitorArrived, { name: '' })).rejects.toThrow(/\/name must NOT have fewer than 1 characters/);
    await kit.expectNoEvent(VisitorGreeted);
    await kit.stop();
  });
});
