/**
 * The webhook dispatcher: claims due deliveries, sends them with bounded
 * concurrency (overall and per endpoint) and never stops on an error. It
 * runs inside `serve` and, for scale, alone as `reporthub worker`; several
 * may run against one PostgreSQL database.
 *
 * It works in rounds, one at a time (round.ts): each records the attempts
 * that finished since the last and claims work for the slots they free.
 * Attempts that finish while a round runs wait for the next, so a busy
 * dispatcher commits once per group of attempts, not once per attempt.
 */
import type { Agent } from 'undici';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import type { ClaimRequest } from '../store/deliveries.js';
import { nowMicros } from '../store/ids.js';
import type { SecretBox } from '../store/secret-box.js';
import {
  attemptDelivery,
  logOutcome,
  type AttemptContext,
  type FinishedAttempt,
} from './attempt.js';
import { runRound, type ClaimedWork } from './round.js';
import { createWebhookAgent } from './send.js';
import { cachingSecretBox } from './secret-cache.js';
import { Slots } from './slots.js';
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

/**
 * Also the most a round can record and claim. Each round pays a commit (an
 * fsync on SQLite, round trips on PostgreSQL) whatever its size, so at 16
 * the benchmark's dispatcher spent half its time in rounds of about 15;
 * at 32 they held about 25 and the rate rose by a fifth on SQLite and a
 * half on PostgreSQL. At 64 it barely rose again: main-thread CPU.
 */
export const defaultConcurrency = 32;
export const defaultPerEndpointConcurrency = 2;
/** 250 ms keeps commit-to-first-attempt well under a second. */
export const defaultPollMs = 250;
/** Time beyond the send timeout to build the body and record the attempt. */
const leaseSlackMs = 5_000;
/**
 * Group commit: a finished attempt waits at most this long for others to
 * finish and share its round's commit. Long enough for a burst of answers
 * to gather, short against a receiver's time to answer.
 */
const groupWaitMs = 2;

export class WebhookDispatcher {
  private readonly options: Required<DispatcherOptions>;
  private readonly agent: Agent;
  private readonly attempt: AttemptContext;
  private readonly slots: Slots;
  /** Attempts made since the last round began, waiting to be recorded. */
  private finished: FinishedAttempt[] = [];
  private running = false;
  /** Set by nudge(); a nudge during a round means "look again". */
  private nudged = false;
  private groupTimer: NodeJS.Timeout | undefined;
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
    // `slots` below; the agent only must not exceed the overall one.
    this.agent = createWebhookAgent({
      allow: parseAllowedCidrs(options.config.webhookAllowedCidrs),
      connectionsPerOrigin: this.options.concurrency,
    });
    this.attempt = {
      config: options.config,
      secretBox: cachingSecretBox(options.secretBox),
      agent: this.agent,
    };
    this.slots = new Slots(
      this.options.concurrency,
      this.options.perEndpointConcurrency,
    );
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
    this.nudged = true;
    this.wake?.();
  }

  /** Stops claiming, records attempts in flight, closes connections. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge();
    await this.loopDone;
    await this.agent.close();
    this.options.log.info('webhook dispatcher stopped');
  }

  private async loop(): Promise<void> {
    // After stop(), rounds go on (claiming nothing) until every attempt
    // in flight is recorded: one not recorded would be sent again.
    while (this.running || this.slots.busy > 0) {
      if (await this.round()) {
        // Lets responses that arrived meanwhile join the next round.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      await this.sleep(this.options.pollMs);
    }
  }

  /** Runs one round; true when another should follow at once. */
  private async round(): Promise<boolean> {
    this.nudged = false;
    clearTimeout(this.groupTimer);
    this.groupTimer = undefined;
    const finished = this.finished.splice(0);
    const releasing = finished.map((attempt) => attempt.work.endpointId);
    let claimed: ClaimedWork[] = [];
    try {
      claimed = await runRound(
        this.options.db,
        finished.map((attempt) => attempt.record),
        this.claimRequest(releasing),
      );
      for (const attempt of finished) logOutcome(this.options.log, attempt);
    } catch (error) {
      // The attempts' leases run out and they are claimed again: not lost.
      this.options.log.error(
        { code: 'internal_error', err: error, attempts: finished.length },
        'webhook round failed',
      );
    }
    for (const endpointId of releasing) this.slots.give(endpointId);
    for (const work of claimed) this.send(work);
    // A claim that found work suggests more is due.
    const more = claimed.length > 0 && this.free() > 0;
    return more || this.nudged;
  }

  private claimRequest(releasing: string[]): ClaimRequest | undefined {
    if (!this.running) return undefined;
    const { free, capacity } = this.slots.available(releasing);
    if (free <= 0) return undefined;
    const now = nowMicros();
    const leaseMs = this.options.config.webhookTimeoutMs + leaseSlackMs;
    return { now, leaseUntil: now + leaseMs * 1000, free, capacity };
  }

  private send(work: ClaimedWork): void {
    const endpointId = work.claim.endpointId;
    this.slots.take(endpointId);
    void attemptDelivery(this.attempt, work).then(
      (finished) => {
        this.finished.push(finished);
        this.attemptFinished();
      },
      (error: unknown) => {
        // Never recorded: the lease runs out and it is sent again.
        this.options.log.error(
          {
            code: 'internal_error',
            err: error,
            endpointId,
            deliveryId: work.claim.id,
            orgId: work.claim.orgId,
          },
          'webhook attempt crashed',
        );
        this.slots.give(endpointId);
        this.nudge();
      },
    );
  }

  /**
   * Starts a round once every slot held is waiting to be recorded, or
   * after groupWaitMs, whichever is first. A round per finished attempt
   * (a commit each) was what capped the dispatcher; waiting for all of
   * them with no deadline would let one slow receiver hold up the rest.
   */
  private attemptFinished(): void {
    if (this.finished.length >= this.slots.busy) {
      this.nudge();
      return;
    }
    this.groupTimer ??= setTimeout(() => this.nudge(), groupWaitMs);
  }

  private free(): number {
    return this.options.concurrency - this.slots.busy;
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
