// The demo city in a process of its own, for rss_mb_demo: runs the deployment file it is given
// (the parent's copy of city.yaml on free ports) and, after `settleMs` of running, sends its
// resident set size once a second, `samples` times, then stops the city and exits.
import { runDeployment } from '@polis/cli';

interface Sampled {
  readonly rssMb: number[];
}

const [file, settleArg, samplesArg] = process.argv.slice(2);
const settleMs = Number(settleArg);
const samples = Number(samplesArg);
const abort = new AbortController();
const rssMb: number[] = [];

const sample = (): void => {
  rssMb.push(process.memoryUsage().rss / (1024 * 1024));
  if (rssMb.length < samples) {
    setTimeout(sample, 1_000);
    return;
  }
  process.send!({ rssMb } satisfies Sampled);
  abort.abort();
};

runDeployment(file!, { signal: abort.signal, control: false, onStarted: () => void setTimeout(sample, settleMs) }).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
