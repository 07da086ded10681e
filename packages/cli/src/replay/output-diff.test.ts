import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '@polis/plugin-api';
import { diffOutputs } from './output-diff.js';

const opened = (id: string, incidentId: string): CloudEvent =>
  ({ specversion: '1.0', id, source: 'public-safety', type: 'safety.incident.opened', time: '2026-01-01T08:00:00Z', causationid: 'report-1', subject: incidentId, data: { incidentId } }) as CloudEvent;

describe('diffOutputs', () => {
  it('takes ids that differ only in a compact UTC stamp within the time tolerance as equal', () => {
    const recorded = [{ event: opened('a', 'INC-20260101T080000-1'), line: 1 }];
    expect(diffOutputs(recorded, [opened('b', 'INC-20260101T080001-1')], { timeToleranceMs: 15_000 })).toEqual([]);
  });

  it('reports a stamp beyond the tolerance, and any other change in the id', () => {
    const recorded = [{ event: opened('a', 'INC-20260101T080000-1'), line: 1 }];
    const late = diffOutputs(recorded, [opened('b', 'INC-20260101T080020-1')], { timeToleranceMs: 15_000 });
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ kind: 'changed', fields: [{ path: '/subject' }, { path: '/data/incidentId' }] });
    const otherSequence = diffOutputs(recorded, [opened('b', 'INC-20260101T080000-2')], { timeToleranceMs: 15_000 });
    expect(otherSequence).toHaveLength(1);
    expect(diffOutputs(recorded, [opened('b', 'INC-20260101T080001-1')], { timeToleranceMs: 0 })).toHaveLength(1);
  });
});
