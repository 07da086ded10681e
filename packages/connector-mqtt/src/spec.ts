// @polis/connector-mqtt/spec: the schema of a deployment file's `mqtt:` section alone, for tools
// that validate deployments without loading the MQTT client.
export { FieldSource, MqttConnectorSpec, TopicMapping } from './connector-spec.js';
