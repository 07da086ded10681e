import { citizen } from '@polis/contracts';
import type { CloudEvent, EventData, EventDefinition, Logger } from '@polis/plugin-api';

const is = <E extends EventDefinition>(event: CloudEvent, definition: E): event is CloudEvent<EventData<E>> => event.type === definition.type;

/**
 * The operator's view of citizens' requests: each request filed, where it was routed and by
 * when it must be acknowledged and resolved (its SLA timers), each step its department took,
 * escalations, and the counts for the summary. The city log hands it every event.
 */
export class CitizenNarration {
  readonly #logger: Logger;
  readonly #status = new Map<string, string>();
  readonly counts = { requests: 0, resolved: 0, slaMisses: 0 };

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Narrates a citizen-services event; false for events of other domains. */
  narrate(event: CloudEvent): boolean {
    if (!event.type.startsWith('citizen.')) return false;
    const log = this.#logger;
    if (is(event, citizen.RequestFiled)) {
      this.counts.requests++;
      const d = event.data;
      log.info(`REQUEST    ${d.requestId} ${d.serviceCode}${d.priority ? ` (${d.priority})` : ''} filed over Open311: "${d.description}"`);
    } else if (is(event, citizen.CaseUpdated)) {
      const d = event.data;
      // One line per step: an escalation's note to the requester is told as the escalation.
      if (this.#status.get(d.caseId) === d.status) return true;
      this.#status.set(d.caseId, d.status);
      if (d.status === 'open') log.info(`ROUTED     ${d.caseId} ${d.note}`);
      else log.info(`CASE       ${d.caseId} ${d.status.replace('_', ' ')}: ${d.note}`);
      if (d.status === 'resolved') this.counts.resolved++;
    } else if (is(event, citizen.CaseEscalated)) {
      this.counts.slaMisses++;
      const d = event.data;
      log.info(`ESCALATED  ${d.caseId} (${d.serviceCode}) missed its time to ${d.missed}: ${d.supervisor} told`);
    }
    return true;
  }

  summary(): string {
    const { requests, resolved, slaMisses } = this.counts;
    return `${requests} citizen requests, ${resolved} resolved cases, ${slaMisses} SLA misses`;
  }
}
