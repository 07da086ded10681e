// @polis/plugin-mobility-energy: charging for the city's fleets as a Polis plugin (an OCPP 1.6-J
// central system, priority allocation under feeder and transformer limits, grid demand response,
// electric bus depot schedules).
export { mobilityEnergyPlugin as default } from './mobility-energy-plugin.js';
export { MobilityEnergyConfig } from './config.js';
