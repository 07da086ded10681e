// @polis/plugin-healthcare: ambulance dispatch, hospital choice by ETA and capacity, corridors for both legs.
import { healthcarePlugin } from './healthcare-plugin.js';

export type { HealthcareConfig } from './config.js';
export default healthcarePlugin;
