import type { energy } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { planDepotCharging } from './algorithms/depot-schedule.js';
import type { DepotBus, DepotPlan } from './algorithms/depot-schedule.js';
import { dailyTrips } from './algorithms/timetable.js';
import { TouTariff } from './algorithms/tou-tariff.js';
import type { ChargingNetwork } from './charging-network.js';
import type { DepotConfig } from './config.js';
import type { Fleet } from './fleet.js';
import type { SessionBook } from './session-book.js';

type Planned = EventData<typeof energy.DepotSchedulePlanned>;

/**
 * One bus depot: plans its buses' charging ({@link planDepotCharging}) and tells the allocator
 * how much each bus may take in the current slot. The plan is made again at every slot
 * boundary, when a bus plugs in or out or reports its charge, and when the depot feeder's cap
 * changes (a demand-response event): the allocator then follows the new plan.
 */
export class DepotPlanner {
  private readonly tariff: TouTariff;
  private readonly feederId: string;
  private readonly busIds: ReadonlySet<string>;
  private plan: DepotPlan | undefined;
  private plannedCapKw = Number.NaN;
  private plannedSlotEnd = Number.NEGATIVE_INFINITY;
  private dirty = true;

  constructor(
    private readonly config: DepotConfig,
    private readonly network: ChargingNetwork,
    private readonly fleet: Fleet,
    private readonly sessions: SessionBook,
  ) {
    this.tariff = new TouTariff(config.tariff);
    this.feederId = network.hubs.get(config.hubId)!.feederId;
    this.busIds = new Set(config.buses.map((bus) => bus.id));
  }

  get id(): string {
    return this.config.id;
  }

  serves(vehicleId: string | undefined): boolean {
    return vehicleId !== undefined && this.busIds.has(vehicleId);
  }

  /** Something the plan depends on changed: plan again before the next allocation. */
  invalidate(): void {
    this.dirty = true;
  }

  /**
   * Plans again if it is due (a slot ended, something changed, the feeder's cap moved); returns
   * the new schedule to publish, or undefined when the standing one holds.
   */
  refresh(nowMs: number, feederCapKw: number): Planned | undefined {
    if (!this.dirty && nowMs < this.plannedSlotEnd && feederCapKw === this.plannedCapKw) return undefined;
    const { slotS, horizonS, reserveSocPct, maxSocPct, chargeEfficiency, tariff } = this.config;
    const slotMs = slotS * 1000;
    const horizonMs = horizonS * 1000;
    const trips = this.config.buses.flatMap((bus) => dailyTrips(bus.id, bus.blocks, nowMs, nowMs + horizonMs, tariff.utcOffsetMinutes));
    const buses: DepotBus[] = this.config.buses.map((bus) => {
      const vehicle = this.fleet.get(bus.id)!;
      const plugged = this.sessions.ofVehicle(bus.id) !== undefined;
      // Out on a block by the timetable and not plugged in: back at the block's end.
      const driving = plugged ? undefined : trips.find((trip) => trip.busId === bus.id && trip.departAtMs <= nowMs && nowMs < trip.returnAtMs);
      return {
        busId: bus.id,
        batteryKwh: vehicle.batteryKwh ?? bus.batteryKwh,
        socPct: vehicle.socPct ?? bus.initialSocPct,
        maxChargeKw: Math.min(bus.maxChargeKw, ...this.chargerMaxKw()),
        availableFromMs: driving?.returnAtMs ?? nowMs,
      };
    });
    this.plan = planDepotCharging({ nowMs, slotMs, horizonMs, limitKw: feederCapKw, tariff: this.tariff, buses, trips, reserveSocPct, maxSocPct, chargeEfficiency });
    this.plannedCapKw = feederCapKw;
    this.plannedSlotEnd = this.plan.slotStartsMs[1] ?? nowMs + slotMs;
    this.dirty = false;
    return this.describe(nowMs, feederCapKw, this.plan);
  }

  /** What the plan lets a bus take now, kW; undefined for a bus the depot does not plan. */
  plannedKw(busId: string, nowMs: number): number | undefined {
    const plan = this.plan;
    if (plan === undefined || !this.busIds.has(busId)) return undefined;
    const slot = plan.slotStartsMs.findIndex((start, j) => start <= nowMs && nowMs < plan.slotStartsMs[j + 1]!);
    return slot < 0 ? undefined : plan.kwByBus.get(busId)![slot]!;
  }

  get depotFeederId(): string {
    return this.feederId;
  }

  /** The depot's chargers' maximum power: a bus can take no more than the charger it plugs into. */
  private chargerMaxKw(): number[] {
    return this.network.hubs.get(this.config.hubId)!.chargerIds.map((id) => this.network.chargers.get(id)!.maxKw);
  }

  private describe(nowMs: number, limitKw: number, plan: DepotPlan): Planned {
    const { slotStartsMs } = plan;
    return {
      depotId: this.config.id,
      at: new Date(nowMs).toISOString(),
      slotS: this.config.slotS,
      limitKw: round(limitKw),
      peakKw: round(plan.peakKw),
      cost: round(plan.cost),
      currency: this.config.tariff.currency,
      buses: this.config.buses.map((bus) => {
        const kw = plan.kwByBus.get(bus.id)!;
        return {
          busId: bus.id,
          departures: plan.departures
            .filter((departure) => departure.busId === bus.id)
            .map((departure) => ({
              blockId: departure.blockId,
              departAt: new Date(departure.departAtMs).toISOString(),
              requiredSocPct: round(departure.requiredSocPct),
              plannedSocPct: round(departure.plannedSocPct),
              met: departure.met,
              shortfallKwh: round(departure.shortfallKwh),
            })),
          slots: [...kw].flatMap((value, j) => (value > 0.005 ? [{ start: new Date(slotStartsMs[j]!).toISOString(), kw: round(value) }] : [])),
        };
      }),
    };
  }
}

const round = (value: number) => Math.round(value * 100) / 100;
