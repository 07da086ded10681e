// @polis/plugin-citizen-services: citizens' requests become cases for the responsible department, with service levels.
import { citizenServicesPlugin } from './citizen-services-plugin.js';

export default citizenServicesPlugin;
