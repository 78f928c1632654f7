/**
 * The baseline for webhook throughput: a bare undici POST loop, in its own
 * process like the server's dispatcher, keeping `concurrency` requests in
 * flight until `count` have been answered. Takes its job over IPC, answers
 * `{ seconds }` and exits; gives up after `maxSeconds` whatever happens.
 *
 * Only ever pointed at the bench's own receiver on 127.0.0.1.
 */
import { Agent, request } from 'undici';

interface Job {
  urls: string[];
  headers: Record<string, string>;
  body: string;
  count: number;
  concurrency: number;
  maxSeconds: number;
}

async function run(job: Job): Promise<number> {
  const agent = new Agent();
  const deadline = performance.now() + job.maxSeconds * 1000;
  let next = 0;
  const started = performance.now();

  async function worker(): Promise<void> {
    while (next < job.count && performance.now() < deadline) {
      const url = job.urls[next % job.urls.length]!;
      next += 1;
      const response = await request(url, {
        method: 'POST',
        headers: job.headers,
        body: job.body,
        dispatcher: agent,
      });
      await response.body.dump();
      if (response.statusCode >= 300) {
        throw new Error(`receiver answered ${response.statusCode}`);
      }
    }
  }

  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return seconds;
}

process.once('message', (job: Job) => {
  run(job).then(
    (seconds) => process.send?.({ seconds }, () => process.disconnect()),
    (error: unknown) => {
      process.send?.({ error: String(error) }, () => process.disconnect());
    },
  );
});
