/** Delays above this many seconds are announced to passengers. */
export const DELAY_THRESHOLD_S = 120;

/** What the fleet reports: forty buses on four lines, with delays spread over five minutes. */
export const DEMO_REPORTS = Array.from({ length: 40 }, (_, i) => ({
  vehicle: `bus-${String(i + 1).padStart(2, '0')}`,
  line: `L${(i % 4) + 1}`,
  delayS: (i * 37) % 300,
}));

/** How many reports the delay monitor turns into delays. */
export const EXPECTED_DELAYS = DEMO_REPORTS.filter((report) => report.delayS > DELAY_THRESHOLD_S).length;
