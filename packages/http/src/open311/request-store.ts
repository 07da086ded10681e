import type { FiledRequest } from './request-validation.js';

export type Open311Status = 'open' | 'closed';

/** A service request as GeoReport v2 shows it. */
export interface ServiceRequest {
  service_request_id: string;
  status: Open311Status;
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  requested_datetime: string;
  updated_datetime: string;
  address: string;
  lat?: number;
  long?: number;
  media_url: string;
  /** How many citizens reported this same thing (duplicates merged into it). */
  reports: number;
}

export interface RequestFilters {
  readonly ids?: readonly string[];
  readonly serviceCodes?: readonly string[];
  readonly start?: number;
  readonly end?: number;
  readonly statuses?: readonly Open311Status[];
}

/** Requests about the same service this near in place and time are one case. */
const DUPLICATE_METRES = 75;
const DUPLICATE_MS = 60 * 60 * 1000;

/** The city's requests, in filing order; duplicates of an open request join it. */
export class RequestStore {
  private readonly requests: ServiceRequest[] = [];
  private next = 1;

  constructor(private readonly now: () => number = Date.now) {}

  /** Files a request; returns it and whether it merged into an earlier one. */
  file(filed: FiledRequest): { request: ServiceRequest; merged: boolean } {
    const now = this.now();
    const duplicate = this.requests.find(
      (r) =>
        r.status === 'open' &&
        r.service_code === filed.service.service_code &&
        now - Date.parse(r.requested_datetime) <= DUPLICATE_MS &&
        r.lat !== undefined && filed.lat !== undefined &&
        metresBetween(r.lat, r.long!, filed.lat, filed.long!) <= DUPLICATE_METRES,
    );
    if (duplicate !== undefined) {
      duplicate.reports += 1;
      duplicate.updated_datetime = new Date(now).toISOString();
      return { request: duplicate, merged: true };
    }
    const at = new Date(now).toISOString();
    const request: ServiceRequest = {
      service_request_id: `SR-${this.next++}`,
      status: 'open',
      status_notes: `received; routed to ${filed.service.department}`,
      service_name: filed.service.service_name,
      service_code: filed.service.service_code,
      description: filed.description ?? '',
      agency_responsible: filed.service.department,
      requested_datetime: at,
      updated_datetime: at,
      address: filed.address ?? '',
      ...(filed.lat !== undefined ? { lat: filed.lat, long: filed.long } : {}),
      media_url: filed.mediaUrl ?? '',
      reports: 1,
    };
    this.requests.push(request);
    return { request, merged: false };
  }

  /** The department's progress, as the case's follow-up tells it: a resolved case is closed. */
  follow(id: string, status: 'open' | 'acknowledged' | 'in_progress' | 'resolved', note: string): boolean {
    const request = this.get(id);
    if (request === undefined) return false;
    request.status = status === 'resolved' ? 'closed' : 'open';
    request.status_notes = note;
    request.updated_datetime = new Date(this.now()).toISOString();
    return true;
  }

  get(id: string): ServiceRequest | undefined {
    return this.requests.find((r) => r.service_request_id === id);
  }

  /** GeoReport's filters; with none, the last 90 days (as the spec defaults). */
  find(filters: RequestFilters): ServiceRequest[] {
    if (filters.ids !== undefined) return this.requests.filter((r) => filters.ids!.includes(r.service_request_id));
    const start = filters.start ?? this.now() - 90 * 24 * 3600 * 1000;
    return this.requests.filter((r) => {
      const at = Date.parse(r.requested_datetime);
      return (
        at >= start &&
        (filters.end === undefined || at <= filters.end) &&
        (filters.serviceCodes === undefined || filters.serviceCodes.includes(r.service_code)) &&
        (filters.statuses === undefined || filters.statuses.includes(r.status))
      );
    });
  }
}

function metresBetween(lat1: number, long1: number, lat2: number, long2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLong = (long2 - long1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLong / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}
