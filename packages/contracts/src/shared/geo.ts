import { Type } from '@polis/plugin-api';

/** A WGS 84 position in decimal degrees. */
export const GeoPoint = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, decimal degrees (WGS 84)' }),
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, decimal degrees (WGS 84)' }),
  },
  { additionalProperties: false },
);

/** An RFC 3339 timestamp. */
export const Timestamp = Type.String({ format: 'date-time' });

/** Ids are short strings chosen by the owning domain, e.g. `INC-42`, `amb-3`, `n2_3`. */
export const Id = Type.String({ minLength: 1, maxLength: 120 });
