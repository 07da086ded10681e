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

/** How urgent the requester says it is; the city's service levels differ by it. */
const PRIORITY: ServiceAttribute = {
  code: 'priority',
  datatype: 'singlevaluelist',
  required: false,
  description: 'How urgent it is (default normal)',
  values: [
    { key: 'low', name: 'Low' },
    { key: 'normal', name: 'Normal' },
    { key: 'urgent', name: 'Urgent' },
  ],
};

/** The demo city's services: one per responsible domain. */
export const defaultServices: readonly Open311Service[] = [
  {
    service_code: 'bin-overflow',
    service_name: 'Overflowing bin',
    description: 'A public waste bin is full or overflowing',
    group: 'waste',
    department: 'waste',
    attributes: [{ code: 'bin_id', datatype: 'string', required: false, description: 'The number printed on the bin' }, PRIORITY],
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
      PRIORITY,
    ],
  },
  {
    service_code: 'smoke-smell',
    service_name: 'Smoke or smell',
    description: 'Smoke, a burning smell or a chemical odour',
    group: 'environment',
    department: 'environment',
    attributes: [PRIORITY],
  },
  {
    service_code: 'road-hazard',
    service_name: 'Road hazard or crash',
    description: 'Debris, a crash or another danger on the road',
    group: 'public safety',
    department: 'public-safety',
    attributes: [
      {
        code: 'hazard',
        datatype: 'singlevaluelist',
        required: false,
        description: 'What is on the road (a crash joins the incident public safety already has)',
        values: [
          { key: 'crash', name: 'A crash' },
          { key: 'debris', name: 'Debris' },
          { key: 'pothole', name: 'A pothole' },
          { key: 'other', name: 'Something else' },
        ],
      },
      PRIORITY,
    ],
  },
];
