import { expect } from 'vitest';

/** Polls until `condition` holds (failing the test if it never does within `ms`). */
export async function waitFor(condition: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}
