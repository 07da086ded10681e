import { asyncApiDocument } from '@polis/http';
import { describe, expect, it } from 'vitest';
import { demoCityPlugins } from '../e2e/demo-city.js';
import { asyncApiDiagnostics } from '../support/asyncapi-diagnostics.js';

describe('the AsyncAPI document of a city', () => {
  it('describes the demo city in AsyncAPI 3.0 that @asyncapi/parser reads with no error', async () => {
    const plugins = (await demoCityPlugins()).map((entry) => entry.plugin);
    const document = asyncApiDocument({
      name: 'demo-city',
      plugins,
      sources: [{ name: 'sensor-gateway', via: 'http', publishes: ['traffic.detector.reported', 'traffic.flow.observed'], consumes: ['safety.>'], requests: ['traffic.route.find'] }],
      http: '127.0.0.1:8080',
    });
    const diagnostics = await asyncApiDiagnostics(document);
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((e) => `${e.path.join('/')}: ${e.message}`)).toEqual([]);
  });
});
