import { EnergyInputError } from './errors.js';
import { MinCostFlow } from './min-cost-flow.js';
import type { TouTariff } from './tou-tariff.js';

const MS_PER_HOUR = 3_600_000;

/** A bus of the depot as it is now. */
export interface DepotBus {
  readonly busId: string;
  readonly batteryKwh: number;
  /** State of charge now, or when it is back if it is out on a block. */
  readonly socPct: number;
  /** The most its charger (and the bus) takes, kW. */
  readonly maxChargeKw: number;
  /** When it is at the depot and can charge: now, or the end of the block it is driving. */
  readonly availableFromMs: number;
}

/** One run of a block (a bus's duty from pull-out to pull-in) and the energy it uses. */
export interface BlockTrip {
  readonly busId: string;
  readonly blockId: string;
  readonly departAtMs: number;
  readonly returnAtMs: number;
  readonly energyKwh: number;
}

export interface DepotPlanInput {
  readonly nowMs: number;
  /** Slot length; slots are aligned to multiples of it (the first runs from now to the next boundary). */
  readonly slotMs: number;
  readonly horizonMs: number;
  /** The depot feeder's capacity, kW. */
  readonly limitKw: number;
  readonly tariff: TouTariff;
  readonly buses: readonly DepotBus[];
  readonly trips: readonly BlockTrip[];
  /** Charge every bus keeps in hand at the end of a block, % (default 20). */
  readonly reserveSocPct?: number;
  /** Never charge above this, % (default 100). */
  readonly maxSocPct?: number;
  /** Battery energy per grid energy while charging (default 0.95). */
  readonly chargeEfficiency?: number;
}

/** What the plan does for one departure. */
export interface PlannedDeparture {
  readonly busId: string;
  readonly blockId: string;
  readonly departAtMs: number;
  readonly requiredSocPct: number;
  readonly plannedSocPct: number;
  readonly met: boolean;
  readonly shortfallKwh: number;
}

export interface DepotPlan {
  /** Slot boundaries: slot j runs from `slotStartsMs[j]` to `slotStartsMs[j + 1]`. */
  readonly slotStartsMs: readonly number[];
  /** Grid power per bus per slot, kW. */
  readonly kwByBus: ReadonlyMap<string, Float64Array>;
  readonly departures: readonly PlannedDeparture[];
  /** Energy cost in the tariff's currency. */
  readonly cost: number;
  readonly peakKw: number;
}

/** A stretch a bus is at the depot before a departure, and the energy it must take in it. */
interface Window {
  readonly bus: DepotBus;
  readonly trip: BlockTrip;
  readonly fromMs: number;
  readonly requiredSocPct: number;
  /** The block needs more than a full battery (to maxSocPct) less the reserve: it cannot be met. */
  readonly beyondBatteryKwh: number;
  readonly arrivalSocPct: number;
  readonly gridKwh: number;
}

/**
 * Plans a depot's charging so that every bus leaves with the charge its next block needs (the
 * block's energy plus a reserve), under the depot feeder's limit, at the least energy cost under
 * a time-of-use tariff. It is a minimum-cost flow: energy flows from each charging window (a bus
 * at the depot before a departure) through the slots the bus is there (at most its charger's
 * power) into the feeder (at most its limit per slot, at the slot's price). A window that cannot
 * be served in full spills onto a penalty arc whose cost dwarfs any price and is higher the
 * earlier the departure: when the feeder cannot serve everyone, earlier departures are served
 * first and the plan says which departures it misses, and by how much. A bus charges only in
 * slots it is at the depot for entirely, so the limit holds at every instant of every slot.
 */
export function planDepotCharging(input: DepotPlanInput): DepotPlan {
  const { nowMs, slotMs, horizonMs, limitKw, tariff } = input;
  if (!(slotMs > 0)) throw new EnergyInputError('slotMs', `must be > 0, got ${slotMs}`);
  if (!(limitKw >= 0)) throw new EnergyInputError('limitKw', `must be >= 0, got ${limitKw}`);
  const reserve = input.reserveSocPct ?? 20;
  const maxSoc = input.maxSocPct ?? 100;
  const efficiency = input.chargeEfficiency ?? 0.95;
  if (!(efficiency > 0 && efficiency <= 1)) throw new EnergyInputError('chargeEfficiency', `must be in (0, 1], got ${efficiency}`);

  const slotStartsMs = [nowMs];
  for (let at = (Math.floor(nowMs / slotMs) + 1) * slotMs; at < nowMs + horizonMs; at += slotMs) slotStartsMs.push(at);
  slotStartsMs.push(nowMs + horizonMs);
  const slots = slotStartsMs.length - 1;
  const hours = (j: number) => (slotStartsMs[j + 1]! - slotStartsMs[j]!) / MS_PER_HOUR;

  const windows = chargingWindows(input, reserve, maxSoc, efficiency);
  // Node layout: source, windows, slots, sink.
  const source = 0;
  const slotNode = (j: number) => 1 + windows.length + j;
  const sink = 1 + windows.length + slots;
  const network = new MinCostFlow(sink + 1);
  // Equal prices: the earlier slot, so a late change of plan still has time left (1e-9 per slot
  // is far below any tariff's resolution).
  const price = Array.from({ length: slots }, (_, j) => tariff.meanPrice(slotStartsMs[j]!, slotStartsMs[j + 1]!) + j * 1e-9);
  const penaltyStep = 1000 * (Math.max(...price, 0) + 1);
  const byDeparture = windows.map((_, w) => w).sort((a, b) => windows[a]!.trip.departAtMs - windows[b]!.trip.departAtMs);
  const urgency = new Map(byDeparture.map((w, rank) => [w, windows.length - rank]));
  const arcs = windows.map((window, w) => {
    const node = 1 + w;
    network.addArc(source, node, window.gridKwh, 0);
    network.addArc(node, sink, window.gridKwh, penaltyStep * urgency.get(w)!);
    const perSlot: { slot: number; arc: number }[] = [];
    for (let j = 0; j < slots; j++) {
      if (slotStartsMs[j]! >= window.fromMs && slotStartsMs[j + 1]! <= window.trip.departAtMs) {
        perSlot.push({ slot: j, arc: network.addArc(node, slotNode(j), window.bus.maxChargeKw * hours(j), 0) });
      }
    }
    return perSlot;
  });
  for (let j = 0; j < slots; j++) network.addArc(slotNode(j), sink, limitKw * hours(j), price[j]!);
  network.solve(source, sink, windows.reduce((sum, window) => sum + window.gridKwh, 0));

  const kwByBus = new Map(input.buses.map((bus) => [bus.busId, new Float64Array(slots)]));
  const slotKw = new Float64Array(slots);
  let cost = 0;
  const deliveredKwh = windows.map((window, w) => {
    let delivered = 0;
    for (const { slot, arc } of arcs[w]!) {
      const kwh = network.flowOn(arc);
      if (kwh <= 0) continue;
      delivered += kwh;
      kwByBus.get(window.bus.busId)![slot]! += kwh / hours(slot);
      slotKw[slot]! += kwh / hours(slot);
      cost += kwh * (price[slot]! - slot * 1e-9);
    }
    return delivered;
  });
  return { slotStartsMs, kwByBus, departures: simulateDepartures(windows, deliveredKwh, efficiency), cost, peakKw: Math.max(0, ...slotKw) };
}

/**
 * Each bus's windows: from when it is at the depot to its next departure, then from each return
 * to the departure after. Each window must bring the bus to the block's energy plus the reserve,
 * from what the previous block should have left.
 */
function chargingWindows(input: DepotPlanInput, reserve: number, maxSoc: number, efficiency: number): Window[] {
  const busById = new Map(input.buses.map((bus) => [bus.busId, bus]));
  const tripsByBus = new Map<string, BlockTrip[]>();
  input.trips.forEach((trip, i) => {
    if (!busById.has(trip.busId)) throw new EnergyInputError(`trips[${i}].busId`, `unknown bus ${JSON.stringify(trip.busId)}`);
    if (!(trip.returnAtMs > trip.departAtMs)) throw new EnergyInputError(`trips[${i}]`, 'returns before it departs');
    const list = tripsByBus.get(trip.busId) ?? [];
    list.push(trip);
    tripsByBus.set(trip.busId, list);
  });
  const windows: Window[] = [];
  for (const bus of input.buses) {
    if (!(bus.batteryKwh > 0)) throw new EnergyInputError(`buses.${bus.busId}.batteryKwh`, `must be > 0, got ${bus.batteryKwh}`);
    const trips = (tripsByBus.get(bus.busId) ?? []).filter((trip) => trip.departAtMs >= bus.availableFromMs).sort((a, b) => a.departAtMs - b.departAtMs);
    let fromMs = bus.availableFromMs;
    let arrivalSocPct = bus.socPct;
    for (const trip of trips) {
      const wantedSocPct = reserve + (100 * trip.energyKwh) / bus.batteryKwh;
      const requiredSocPct = Math.min(maxSoc, wantedSocPct);
      const beyondBatteryKwh = ((wantedSocPct - requiredSocPct) / 100) * bus.batteryKwh;
      const neededKwh = Math.max(0, ((requiredSocPct - arrivalSocPct) / 100) * bus.batteryKwh);
      windows.push({ bus, trip, fromMs, requiredSocPct, beyondBatteryKwh, arrivalSocPct, gridKwh: neededKwh / efficiency });
      fromMs = trip.returnAtMs;
      // What the next window starts from if this one meets its need.
      arrivalSocPct = Math.max(0, Math.max(requiredSocPct, arrivalSocPct) - (100 * trip.energyKwh) / bus.batteryKwh);
    }
  }
  return windows;
}

/** Follows each bus's state of charge through its windows with what the plan delivers: a short window leaves the next one shorter. */
function simulateDepartures(windows: readonly Window[], deliveredKwh: readonly number[], efficiency: number): PlannedDeparture[] {
  const departures: PlannedDeparture[] = [];
  const socByBus = new Map<string, number>();
  windows.forEach((window, w) => {
    const { bus, trip } = window;
    const arrival = socByBus.get(bus.busId) ?? window.arrivalSocPct;
    const plannedSocPct = Math.min(100, arrival + (100 * deliveredKwh[w]! * efficiency) / bus.batteryKwh);
    const shortKwh = Math.max(0, ((window.requiredSocPct - plannedSocPct) / 100) * bus.batteryKwh) + window.beyondBatteryKwh;
    const met = shortKwh < 1e-6;
    departures.push({ busId: bus.busId, blockId: trip.blockId, departAtMs: trip.departAtMs, requiredSocPct: window.requiredSocPct, plannedSocPct, met, shortfallKwh: met ? 0 : shortKwh });
    socByBus.set(bus.busId, Math.max(0, plannedSocPct - (100 * trip.energyKwh) / bus.batteryKwh));
  });
  return departures;
}
