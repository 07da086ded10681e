import type { BenchKey, Result } from './result.js';
import type { BenchSettings } from './settings.js';

/** The NATS server the NATS scenarios share, set up once by main. */
export interface NatsSite {
  /** `host:port` of the server. */
  readonly url: string;
  /** Which server this is, for the report. */
  readonly description: string;
}

export interface ScenarioContext {
  readonly settings: BenchSettings;
  readonly nats: NatsSite;
}

/** A comparison run in one go: it sets its contenders up, alternates them, and tears them down. */
export interface Scenario {
  /** Short, for progress lines and failures. */
  readonly name: string;
  /** The keys it produces, so a failed scenario can say which figures are missing. */
  readonly keys: readonly BenchKey[];
  run(context: ScenarioContext): Promise<readonly Result[]>;
}
