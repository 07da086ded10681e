// @polis/connector-mqtt: sensors into a Polis city over MQTT. Topic filters mapped to event
// types, field by field or as FIWARE entities; QoS 1 with acknowledgement after publish;
// reconnects; dead letters with a code and the raw payload for whatever does not map.
export { MqttConnector, MqttErrorCodes } from './mqtt-connector.js';
export type { MqttConnectorOptions } from './mqtt-connector.js';
export { MqttConnectorSpec, TopicMapping, FieldSource } from './connector-spec.js';
export { topicMatches, topicFilterProblem } from './topic-filter.js';
export { mapFields, MappingError } from './field-mapping.js';
