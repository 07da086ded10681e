/** One attribute of a GeoReport v2 service definition. */
export interface ServiceAttribute {
  readonly code: string;
  readonly datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  readonly required: boolean;
  readonly description: string;
  readonly values?: ReadonlyArray<{ readonly key: string; readonly name: string }>;
}

/** A service citizens may file requests for, and the domain that answers it. */
export interface Open311Service {
  readonly service_code: string;
  readonly service_name: string;
  readonly description: string;
  readonly group: string;
  /** The plugin responsible for the cases it opens (for routing and accountability). */
  readonly department: string;
  readonly attributes: readonly ServiceAttribute[];
}

/** The area the city serves; requests outside it are refused. */
export interface CityBounds {
  readonly minLat: number;
  readonly maxLat: number;
  readonly minLong: number;
  readonly maxLong: number;
}

/** The demo city's services: one per responsible domain. */
export const defaultServices: readonly Open311Service[] = [
  {
    service_code: 'bin-overflow',
    service_name: 'Overflowing bin',
    description: 'A public waste bin is full or overflowing',
    group: 'waste',
    department: 'waste',
    attributes: [{ code: 'bin_id', datatype: 'string', required: false, description: 'The number printed on the bin' }],
  },
  {
    service_code: 'signal-broken',
    service_name: 'Broken traffic signal',
    description: 'A traffic signal is dark, stuck or flashing',
    group: 'traffic',
    department: 'traffic',
    attributes: [
      {
        code: 'state',
        datatype: 'singlevaluelist',
        required: true,
        description: 'What the signal shows',
        values: [
          { key: 'dark', name: 'Dark' },
          { key: 'stuck', name: 'Stuck on one colour' },
          { key: 'flashing', name: 'Flashing' },
        ],
      },
    ],
  },
  {
    service_code: 'smoke-smell',
    service_name: 'Smoke or smell',
    description: 'Smoke, a burning smell or a chemical odour',
    group: 'environment',
    department: 'environment',
    attributes: [],
  },
  {
    service_code: 'road-hazard',
    service_name: 'Road hazard or crash',
    description: 'Debris, a crash or another danger on the road',
    group: 'public safety',
    department: 'public-safety',
    attributes: [],
  },
];
