import { describe, expect, it } from 'vitest';
import { PriorityLanes } from './priority-lanes.js';

describe('PriorityLanes', () => {
  it('takes urgent items first, each lane in order', () => {
    const lanes = new PriorityLanes<string>();
    lanes.push('r1', false);
    lanes.push('r2', false);
    lanes.push('u1', true);
    lanes.push('r3', false);
    lanes.push('u2', true);
    expect([lanes.take(), lanes.take(), lanes.take(), lanes.take(), lanes.take(), lanes.take()]).toEqual(['u1', 'u2', 'r1', 'r2', 'r3', undefined]);
  });

  it('keeps order across the compaction of a long routine backlog', () => {
    const lanes = new PriorityLanes<number>();
    for (let i = 0; i < 5000; i++) lanes.push(i, false);
    const taken: number[] = [];
    for (let i = 0; i < 3000; i++) taken.push(lanes.take()!);
    for (let i = 5000; i < 6000; i++) lanes.push(i, false);
    expect(lanes.size).toBe(3000);
    let next: number | undefined;
    while ((next = lanes.take()) !== undefined) taken.push(next);
    expect(taken).toEqual(Array.from({ length: 6000 }, (_, i) => i));
  });

  it('drains what waits, urgent first', () => {
    const lanes = new PriorityLanes<string>();
    lanes.push('r', false);
    lanes.push('u', true);
    expect(lanes.drain()).toEqual(['u', 'r']);
    expect(lanes.size).toBe(0);
  });
});
