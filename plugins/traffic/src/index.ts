// @polis/plugin-traffic: the traffic domain as a Polis plugin (road network, detector and FIWARE
// ingest, incident detection, Webster signal timing, fastest routes, green corridors).
export { trafficPlugin as default } from './traffic-plugin.js';
export { TrafficConfig } from './config.js';
export type { DetectorSpec, IntersectionSpec, LinkSpec, NodeSpec, PhaseSpec, RoadNetworkSpec } from './algorithms/road-network.js';
