// @polis/example-multi-node: the plugins and contracts of the two-node demo (see launch.ts).
export { DelayStats, VehicleDelayed, VehicleReported } from './contracts.js';
export { DELAY_THRESHOLD_S, DEMO_REPORTS, EXPECTED_DELAYS } from './demo-data.js';
export { delayMonitor } from './plugins/delay-monitor.js';
export { fleet } from './plugins/fleet.js';
export { passengerInfo } from './plugins/passenger-info.js';
