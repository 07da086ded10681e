// A load generator in a process of its own (the bench's second core): autocannon POSTs
// CloudEvents to `url` for `durationS`, each with a fresh id, and prints what it got as JSON.
// Arguments: one JSON object { url, durationS, connections, headers, body } where body holds
// the CloudEvent with its id left out.
import autocannon from 'autocannon';

const { url, durationS, connections, headers, body } = JSON.parse(process.argv[2]);
let sequence = 0;
const prefix = `${process.pid}-${Date.now().toString(36)}-`;
const result = await autocannon({
  url,
  connections,
  duration: durationS,
  pipelining: 1,
  requests: [
    {
      method: 'POST',
      headers,
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ id: prefix + ++sequence, ...body }) }),
    },
  ],
});
process.stdout.write(JSON.stringify({ durationS: result.duration, ok: result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, sent: sequence }));
