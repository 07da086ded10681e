// The subset of TraCI's command, variable and type ids this client uses. The numbers are SUMO's
// protocol constants as SUMO 1.15 defines them (tools/traci/constants.py, generated from
// src/libsumo/TraCIConstants.h; https://sumo.dlr.de/docs/TraCI/Protocol.html).

/** Command ids. A get command's response id is the command id + 0x10; a subscription's, + 0x10 too. */
export const Command = {
  GET_VERSION: 0x00,
  SIMULATION_STEP: 0x02,
  SET_ORDER: 0x03,
  STOP: 0x12,
  CLOSE: 0x7f,
  GET_INDUCTION_LOOP: 0xa0,
  SUBSCRIBE_INDUCTION_LOOP: 0xd0,
  GET_TRAFFIC_LIGHT: 0xa2,
  SET_TRAFFIC_LIGHT: 0xc2,
  GET_LANE: 0xa3,
  SET_LANE: 0xc3,
  GET_VEHICLE: 0xa4,
  SET_VEHICLE: 0xc4,
  SUBSCRIBE_VEHICLE: 0xd4,
  SET_VEHICLE_TYPE: 0xc5,
  SET_ROUTE: 0xc6,
  GET_SIMULATION: 0xab,
  SUBSCRIBE_SIMULATION: 0xdb,
  GET_LANE_AREA: 0xad,
  SUBSCRIBE_LANE_AREA: 0xdd,
} as const;

/** Variable ids (their meaning depends on the domain, as in SUMO). */
export const Variable = {
  ID_LIST: 0x00,
  ID_COUNT: 0x01,
  // detectors
  LAST_STEP_VEHICLE_NUMBER: 0x10,
  LAST_STEP_MEAN_SPEED: 0x11,
  LAST_STEP_OCCUPANCY: 0x13,
  LAST_STEP_HALTING_NUMBER: 0x14,
  LAST_STEP_VEHICLE_DATA: 0x17,
  JAM_LENGTH_METERS: 0x19,
  // traffic lights
  TL_RED_YELLOW_GREEN_STATE: 0x20,
  TL_PHASE_INDEX: 0x22,
  TL_PROGRAM: 0x23,
  TL_CONTROLLED_LINKS: 0x27,
  TL_CURRENT_PROGRAM: 0x29,
  // lanes
  LANE_ALLOWED: 0x34,
  LANE_DISALLOWED: 0x35,
  // vehicles
  SPEED: 0x40,
  MAX_SPEED: 0x41,
  POSITION: 0x42,
  ROAD_ID: 0x50,
  LANE_ID: 0x51,
  LANE_INDEX: 0x52,
  LANE_POSITION: 0x56,
  ROUTE: 0x57,
  ROUTE_INDEX: 0x69,
  TIME_LOSS: 0x8c,
  SPEED_MODE: 0xb3,
  // simulation
  TIME: 0x66,
  DEPARTED_IDS: 0x74,
  ARRIVED_NUMBER: 0x79,
  ARRIVED_IDS: 0x7a,
  MIN_EXPECTED_VEHICLES: 0x7d,
  PARAMETER: 0x7e,
  ADD: 0x80,
  REMOVE: 0x81,
  POSITION_CONVERSION: 0x82,
  ADD_FULL: 0x85,
} as const;

/** Value type tags. */
export const DataType = {
  POSITION_LON_LAT: 0x00,
  POSITION_2D: 0x01,
  POSITION_LON_LAT_ALT: 0x02,
  POSITION_3D: 0x03,
  POSITION_ROADMAP: 0x04,
  POLYGON: 0x06,
  UBYTE: 0x07,
  BYTE: 0x08,
  INTEGER: 0x09,
  DOUBLE: 0x0b,
  STRING: 0x0c,
  STRING_LIST: 0x0e,
  COMPOUND: 0x0f,
  DOUBLE_LIST: 0x10,
  COLOR: 0x11,
} as const;

/** Status codes in a status response. */
export const Status = { OK: 0x00, NOT_IMPLEMENTED: 0x01, ERROR: 0xff } as const;

/** SUMO's "no value" for doubles, e.g. a subscription's open begin and end. */
export const INVALID_DOUBLE = -1073741824.0;

/** The protocol version this client was written against (SUMO 1.15 answers 20). */
export const TRACI_API_VERSION = 20;
