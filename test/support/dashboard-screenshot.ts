/**
 * `node --conditions=@polis/source --import tsx test/support/dashboard-screenshot.ts`: runs the
 * demo city (a copy on free ports), opens its dashboard in Chromium, lets the simulator run a
 * few seconds and saves docs/dashboard.png.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { POLIS_FROM_SOURCE, demoCityCopy, repoRoot } from './polis-command.js';

// The browser first: launching it takes seconds, minutes of the demo's city time.
const executablePath = process.env.CHROMIUM_BIN ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const copy = demoCityCopy('screenshot', (text) => text.replace('\n  port: 0\n', '\n  port: 18480\n'));
const city = spawn(POLIS_FROM_SOURCE[0], [...POLIS_FROM_SOURCE.slice(1), 'start', copy.file], { cwd: join(repoRoot, 'examples/city-demo'), stdio: ['ignore', 'pipe', 'inherit'] });
try {
  await new Promise<void>((resolve, reject) => {
    city.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('gateway listening') ? resolve() : undefined));
    city.on('exit', (code) => reject(new Error(`the demo city exited with ${code}`)));
  });
  const token = readFileSync(join(repoRoot, 'examples/city-demo/tokens/dashboard.token'), 'utf8').trim();
  const admin = readFileSync(join(repoRoot, 'examples/city-demo/tokens/admin.token'), 'utf8').trim();
  await page.goto(`http://127.0.0.1:18480/?token=${token}&admin=${admin}`);
  await page.waitForSelector('#events tbody tr', { timeout: 30_000 });
  // The picture shows the city at work: an ambulance's green corridor (and the incident, if still open).
  await page.waitForSelector('polyline.corridor', { timeout: 30_000 });
  await page.screenshot({ path: join(repoRoot, 'docs/dashboard.png') });
} finally {
  await browser.close();
  city.kill('SIGTERM');
  copy.remove();
}
