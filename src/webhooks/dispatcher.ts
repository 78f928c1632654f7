/**
 * The webhook dispatcher: claims due deliveries, sends them with bounded
 * concurrency (overall and per endpoint) and never stops on an error. It
 * runs inside `serve` and, for scale, alone as `reporthub worker`; several
 * may run against one PostgreSQL database.
 */
import type { Agent } from 'undici';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { claimDue, type ClaimedDelivery } from '../store/deliveries.js';
import { nowMicros } from '../store/ids.js';
import type { SecretBox } from '../store/secret-box.js';
import { AttemptBatcher } from './attempt-batch.js';
import { attemptDelivery } from './attempt.js';
import { createWebhookAgent } from './send.js';
import { parseAllowedCidrs } from './ssrf.js';

export interface DispatcherOptions {
  db: Db;
  config: Config;
  log: Logger;
  secretBox: SecretBox;
  /** Deliveries in flight at once in this process. */
  concurrency?: number;
  /** Deliveries in flight at once to one endpoint, in this process. */
  perEndpointConcurrency?: number;
  /** How often to look for due deliveries when nothing nudges. */
  pollMs?: number;
}

export const defaultConcurrency = 16;
export const defaultPerEndpointConcurrency = 2;
/** 250 ms keeps commit-to-first-attempt well under a second. */
export const defaultPollMs = 250;
/** Time beyond the send timeout to build the body and record the attempt. */
const leaseSlackMs = 5_000;

export class WebhookDispatcher {
  private readonly options: Required<DispatcherOptions>;
  private readonly agent: Agent;
  private readonly batcher: AttemptBatcher;
  private readonly perEndpoint = new Map<string, number>();
  private readonly tasks = new Set<Promise<void>>();
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(options: DispatcherOptions) {
    this.options = {
      concurrency: defaultConcurrency,
      perEndpointConcurrency: defaultPerEndpointConcurrency,
      pollMs: defaultPollMs,
      ...options,
    };
    // Per origin, not per endpoint: endpoints often share a host (one
    // receiver, a path per purpose). The per-endpoint bound is kept by
    // `perEndpoint` below; the agent only must not exceed the overall one.
    this.agent = createWebhookAgent({
      allow: parseAllowedCidrs(options.config.webhookAllowedCidrs),
      connectionsPerOrigin: this.options.concurrency,
    });
    this.batcher = new AttemptBatcher(options.db);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
    this.options.log.info(
      { concurrency: this.options.concurrency },
      'webhook dispatcher started',
    );
  }

  /** Looks for due deliveries now rather than at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  /** Stops claiming, lets attempts in flight finish, closes connections. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge();
    await this.loopDone;
    await Promise.allSettled([...this.tasks]);
    await this.agent.close();
    this.options.log.info('webhook dispatcher stopped');
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.claimAndStart();
      } catch (error) {
        this.options.log.error(
          { code: 'internal_error', err: error },
          'webhook claim failed',
        );
      }
      // A full batch suggests more is due: claim again without waiting.
      if (claimed > 0 && this.free() > 0) continue;
      await this.sleep(this.options.pollMs);
    }
  }

  private async claimAndStart(): Promise<number> {
    const now = nowMicros();
    const leaseMs = this.options.config.webhookTimeoutMs + leaseSlackMs;
    const claims = await claimDue(this.options.db, {
      now,
      leaseUntil: now + leaseMs * 1000,
      free: this.free(),
      capacity: (id) =>
        this.options.perEndpointConcurrency - (this.perEndpoint.get(id) ?? 0),
    });
    for (const claim of claims) this.run(claim);
    return claims.length;
  }

  private run(claim: ClaimedDelivery): void {
    const endpoint = claim.endpointId;
    this.perEndpoint.set(endpoint, (this.perEndpoint.get(endpoint) ?? 0) + 1);
    const task = attemptDelivery(
      {
        ...this.options,
        agent: this.agent,
        record: (...args) => this.batcher.record(...args),
      },
      claim,
    ).catch((error: unknown) => {
      // The lease runs out and the delivery is claimed again: not lost.
      this.options.log.error(
        {
          code: 'internal_error',
          err: error,
          endpointId: endpoint,
          deliveryId: claim.id,
          orgId: claim.orgId,
        },
        'webhook attempt crashed',
      );
    });
    this.tasks.add(task);
    void task.finally(() => {
      this.tasks.delete(task);
      const left = (this.perEndpoint.get(endpoint) ?? 1) - 1;
      if (left > 0) this.perEndpoint.set(endpoint, left);
      else this.perEndpoint.delete(endpoint);
      this.nudge();
    });
  }

  private free(): number {
    return this.options.concurrency - this.tasks.size;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
