/**
 * Webhook delivery figures (issue 3, "Speed (benchmark)"): the section is
 * reserved here and filled by whoever finishes the dispatcher
 * (src/webhooks/dispatcher.ts). What to measure, each against a baseline
 * in the same run:
 *
 * - deliveries per second to a loopback receiver that answers at once,
 *   against a raw undici POST loop at the same concurrency (aim >= 0.6x);
 * - time from an ingest's commit to the first delivery attempt, p50 and
 *   p99 (aim p99 < 1 s);
 * - fan-out: one event to 500 endpoints.
 *
 * Until then it reports that nothing was measured, so the generated
 * document shows the gap instead of hiding it.
 */
import type { Scenario } from '../support/scenario.js';

export const webhookScenario: Scenario = {
  name: 'webhooks',
  async run() {
    return [
      {
        title: 'Webhook deliveries',
        body:
          'Not measured yet: see issue 3 and bench/scenarios/webhooks.ts ' +
          'for what this section will hold.',
        targets: [],
      },
    ];
  },
};
