// @polis/plugin-public-safety: incidents, police and fire dispatch by route ETA, green corridor requests.
import { publicSafetyPlugin } from './public-safety-plugin.js';

export type { PublicSafetyConfig } from './config.js';
export default publicSafetyPlugin;
