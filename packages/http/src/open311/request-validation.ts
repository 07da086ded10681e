import type { CityBounds, Open311Service } from './service-catalogue.js';
import { GeoReportError } from './georeport-error.js';

/** A request a citizen filed, once it passed every check. */
export interface FiledRequest {
  readonly apiKey: string;
  readonly service: Open311Service;
  readonly lat?: number;
  readonly long?: number;
  readonly address?: string;
  readonly description?: string;
  readonly mediaUrl?: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export const MAX_DESCRIPTION = 4000;
export const MAX_MEDIA_URL = 2048;
export const MAX_ATTRIBUTE = 200;

/**
 * Reads a POST /requests body (form fields, `attribute[code]` for attributes) and refuses it
 * with every problem found at once, so a client fixes them in one round.
 */
export function validateRequest(fields: URLSearchParams, services: ReadonlyMap<string, Open311Service>, bounds: CityBounds): FiledRequest {
  const problems: Array<{ code: number; description: string }> = [];
  const refuse = (description: string) => problems.push({ code: 400, description });
  const apiKey = fields.get('api_key') ?? '';
  if (apiKey === '') throw GeoReportError.of(403, 'api_key is required');
  const code = fields.get('service_code') ?? '';
  const service = services.get(code);
  if (code === '') refuse('service_code is required');
  else if (service === undefined) throw GeoReportError.of(404, `service_code '${code}' is not a service of this city`);

  const latText = fields.get('lat');
  const longText = fields.get('long');
  const address = fields.get('address_string') ?? undefined;
  let lat: number | undefined;
  let long: number | undefined;
  if (latText !== null || longText !== null) {
    lat = Number(latText);
    long = Number(longText);
    if (latText === null || longText === null || latText.trim() === '' || longText.trim() === '' || !Number.isFinite(lat) || !Number.isFinite(long)) refuse('lat and long must both be decimal degrees');
    else if (lat < bounds.minLat || lat > bounds.maxLat || long < bounds.minLong || long > bounds.maxLong) refuse(`location ${lat},${long} is outside the city`);
  } else if (address === undefined || address.trim() === '') {
    refuse('a location is required: lat and long, or address_string');
  }

  const description = fields.get('description') ?? undefined;
  if (description !== undefined && description.length > MAX_DESCRIPTION) refuse(`description is longer than ${MAX_DESCRIPTION} characters`);
  const mediaUrl = fields.get('media_url') ?? undefined;
  if (mediaUrl !== undefined) {
    if (mediaUrl.length > MAX_MEDIA_URL) refuse(`media_url is longer than ${MAX_MEDIA_URL} characters`);
    else if (!/^https?:\/\//i.test(mediaUrl) || !URL.canParse(mediaUrl)) refuse('media_url must be an http or https URL');
  }

  const given: Record<string, string> = {};
  for (const [name, value] of fields) {
    const match = /^attribute\[([^\]]+)\]$/.exec(name);
    if (match) given[match[1]!] = value;
  }
  // Only the service's own attributes are kept: they are what the departments are told.
  const attributes: Record<string, string> = {};
  for (const attribute of service?.attributes ?? []) {
    const value = given[attribute.code];
    if (value === undefined || value === '') {
      if (attribute.required) refuse(`attribute ${attribute.code} is required`);
    } else if (attribute.values !== undefined && !attribute.values.some((v) => v.key === value)) {
      refuse(`attribute ${attribute.code} must be one of ${attribute.values.map((v) => v.key).join(', ')}`);
    } else if (value.length > MAX_ATTRIBUTE) {
      refuse(`attribute ${attribute.code} is longer than ${MAX_ATTRIBUTE} characters`);
    } else {
      attributes[attribute.code] = value;
    }
  }
  if (problems.length > 0) throw new GeoReportError(400, problems);
  return { apiKey, service: service!, lat, long, address, description, mediaUrl, attributes };
}
