/**
 * Probes GET /healthz of a server from its own process, one request at a
 * time about every 10 ms, and prints the latencies as JSON when stdin
 * closes or the time limit passes: a blocked event loop in the server
 * shows up as a slow answer here.
 *
 * Usage: node probe.js URL MAX_SECONDS
 */
import { Agent, request } from 'node:http';

const [url, maxSecondsText] = process.argv.slice(2);
const maxMs = Number(maxSecondsText) * 1000;
const intervalMs = 10;
const maxProbes = 100_000;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function probe(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${url}/healthz`, { agent }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode === 200) {
          resolve(performance.now() - started);
        } else reject(new Error(`healthz answered ${response.statusCode}`));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

let stopped = false;
process.stdin.on('end', () => (stopped = true));
process.stdin.resume();

const latenciesMs: number[] = [];
const deadline = performance.now() + maxMs;
while (!stopped && performance.now() < deadline) {
  const latency = await probe();
  if (latenciesMs.length === 0) process.stdout.write('ready\n');
  latenciesMs.push(latency);
  if (latenciesMs.length >= maxProbes) break;
  const wait = intervalMs - latency;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
agent.destroy();
process.stdout.write(`${JSON.stringify({ latenciesMs })}\n`);
process.stdin.destroy();
