// @polis/plugin-waste: bin fill ingest and forecasts, collection routes on live travel times, pickups and overflows.
import { wastePlugin } from './waste-plugin.js';

export type { WasteConfig } from './config.js';
export default wastePlugin;
