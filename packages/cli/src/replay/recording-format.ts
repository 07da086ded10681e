import type { CloudEvent, CompatibilityMode, JsonSchema } from '@polis/plugin-api';

/** The first line of a recording. */
export interface RecordingHeader {
  readonly polisRecording: 1;
  readonly deployment: string;
  /** The city clock when recording began (ms since the epoch): replay's clock starts here. */
  readonly startedAt: number;
  readonly clockSpeed: number;
  /** Each enabled plugin of the deployment with the configuration it ran with. */
  readonly plugins: readonly { readonly name: string; readonly version: string; readonly package: string; readonly config?: unknown }[];
}

/** The last line: when recording ended and the schemas the events were validated against. */
export interface RecordingFooter {
  readonly polisRecordingEnd: {
    readonly endedAt: number;
    readonly events: number;
    readonly schemas: readonly { readonly type: string; readonly version: number; readonly schema: JsonSchema; readonly compatibility?: CompatibilityMode }[];
  };
}

/** A line saying when a plugin's handler was handed an event (city clock, ms since the epoch). */
export interface RecordedDelivery {
  readonly polisDelivered: { readonly group: string; readonly id: string; readonly at: number };
}

/** A recording read back: every line between header and footer is a CloudEvent or a delivery. */
export interface Recording {
  readonly header: RecordingHeader;
  readonly events: readonly RecordedEvent[];
  /** Per consumer group (a plugin's name), when its handler was handed each event id. */
  readonly deliveries: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly footer?: RecordingFooter['polisRecordingEnd'];
}

/** A recorded event and the line it is on. */
export interface RecordedEvent {
  readonly line: number;
  readonly event: CloudEvent;
}
