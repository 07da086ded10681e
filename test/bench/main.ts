// `pnpm bench`: Polis against Moleculer, EventEmitter and raw nats.js, each scenario with its
// baseline in the same run. `--json` writes bench-results.json; `--quick` is CI's smoke test.
// How it measures and what limits each figure: docs/performance.md.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { problemsOf } from './checks.js';
import { describeMachine } from './machine.js';
import { startNatsSite } from './nats-site.js';
import { formatResult, formatSummary, intervalsJson, resultsJson } from './report.js';
import { BENCH_KEYS } from './result.js';
import type { Result } from './result.js';
import type { Scenario } from './scenario.js';
import { chargingAllocationScenario } from './scenarios/charging-allocation.js';
import { cvrpScenario } from './scenarios/cvrp.js';
import { demoMemoryScenario } from './scenarios/demo-memory.js';
import { emergencyChainScenario } from './scenarios/emergency-chain.js';
import { fanoutScenario } from './scenarios/fanout.js';
import { httpIngestScenario } from './scenarios/http-ingest.js';
import { jetstreamScenario } from './scenarios/jetstream.js';
import { jetstreamConsumersScenario } from './scenarios/jetstream-consumers.js';
import { memoryScenario } from './scenarios/memory.js';
import { natsCoreScenario } from './scenarios/nats-core.js';
import { observabilityScenario } from './scenarios/observability.js';
import { requestReplyScenario } from './scenarios/request-reply.js';
import { routingScenario } from './scenarios/routing.js';
import { startScenario } from './scenarios/start.js';
import { subscriberScaleScenario } from './scenarios/subscriber-scale.js';
import { subscriptionsScenario } from './scenarios/subscriptions.js';
import { assertPackagesBuilt } from './built-packages.js';
import { parseSettings } from './settings.js';
import type { BenchSettings } from './settings.js';

const SCENARIOS: readonly Scenario[] = [
  memoryScenario,
  observabilityScenario,
  fanoutScenario,
  natsCoreScenario,
  jetstreamScenario,
  jetstreamConsumersScenario,
  requestReplyScenario,
  subscriptionsScenario,
  startScenario,
  demoMemoryScenario,
  subscriberScaleScenario,
  routingScenario,
  emergencyChainScenario,
  cvrpScenario,
  httpIngestScenario,
  chargingAllocationScenario,
];
const RESULTS_FILE = fileURLToPath(new URL('../../bench-results.json', import.meta.url));
const INTERVALS_FILE = fileURLToPath(new URL('../../bench-intervals.json', import.meta.url));

async function main(settings: BenchSettings): Promise<number> {
  const began = performance.now();
  const mode = settings.quick ? 'quick smoke run' : 'full run';
  console.log(`Polis bench, ${new Date().toISOString()}: ${mode}, ${settings.warmups} warm-up + ${settings.rounds} recorded rounds per scenario, contenders alternating`);
  console.log(`machine: ${describeMachine()}`);
  const nats = await startNatsSite();
  console.log(`nats: ${nats.description}\n`);

  const results: Result[] = [];
  const failures: string[] = [];
  try {
    for (const scenario of SCENARIOS.filter((candidate) => settings.only === undefined || candidate.name.includes(settings.only!))) {
      const started = performance.now();
      try {
        const produced = await scenario.run({ settings, nats });
        results.push(...produced);
        for (const result of produced) console.log(`${formatResult(result)}\n`);
        console.log(`[${scenario.name}: ${((performance.now() - started) / 1000).toFixed(1)} s]\n`);
      } catch (error) {
        // The other scenarios still run: one broken scenario should not hide every other figure.
        failures.push(`${scenario.name} (${scenario.keys.join(', ')}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        console.log(`[${scenario.name}: FAILED]\n`);
      }
    }
  } finally {
    await nats.stop();
  }

  results.sort((a, b) => BENCH_KEYS.indexOf(a.key) - BENCH_KEYS.indexOf(b.key));
  console.log(formatSummary(results));
  console.log(`\ntotal ${((performance.now() - began) / 1000).toFixed(1)} s`);

  const problems = [...failures, ...problemsOf(results, settings)];
  if (problems.length > 0) {
    console.error(`\nthe bench did not produce every figure:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
    return 1;
  }
  if (settings.json) {
    writeFileSync(RESULTS_FILE, `${JSON.stringify(resultsJson(results), null, 2)}\n`);
    writeFileSync(INTERVALS_FILE, `${JSON.stringify(intervalsJson(results), null, 2)}\n`);
    console.log(`wrote ${RESULTS_FILE} and ${INTERVALS_FILE}`);
  }
  return 0;
}

let settings: BenchSettings;
try {
  settings = parseSettings(process.argv.slice(2));
  assertPackagesBuilt();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
// A library's lingering timer or socket must never keep a finished bench (and CI) waiting.
main(settings).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
