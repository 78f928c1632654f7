/**
 * One round of the dispatcher, in one transaction: record the attempts that
 * finished, claim what is due in the slots they free, and read everything
 * sending the claimed deliveries needs. A transaction per round rather
 * than one to claim and one to record halves the commits (each an fsync on
 * SQLite, on the main thread), and reading per round rather than per
 * delivery turns two queries per delivery into two per round.
 *
 * Records and claims commit or roll back together. Either way nothing is
 * lost: an unrecorded attempt keeps its lease until it runs out, then is
 * claimed and sent again with the same webhook-id (at least once).
 */
import type { Transaction } from 'kysely';
import { reportListBody, stringifyReportList } from '../domain/report-json.js';
import type { Db } from '../store/db.js';
import {
  claimDue,
  loadDeliveryWork,
  recordAttempts,
  type AttemptToRecord,
  type ClaimRequest,
  type ClaimedDelivery,
  type DeliveryWork,
} from '../store/deliveries.js';
import { findReportSummaries, type ReportSummary } from '../store/reports.js';
import type { Database } from '../store/schema.js';

/** A claimed delivery, ready to sign and send. */
export interface ClaimedWork {
  claim: ClaimedDelivery;
  work: DeliveryWork;
  /** Exactly what the list API answers for the event's reports. */
  body: string;
}

/** Records `records`; claims per `request` unless it is undefined. */
export async function runRound(
  db: Db,
  records: readonly AttemptToRecord[],
  request: ClaimRequest | undefined,
): Promise<ClaimedWork[]> {
  if (records.length === 0 && request === undefined) return [];
  return db.kysely.transaction().execute(async (trx) => {
    await recordAttempts(trx, records);
    if (request === undefined) return [];
    const claims = await claimDue(trx, db.dialect, request);
    return prepare(trx, claims);
  });
}

async function prepare(
  trx: Transaction<Database>,
  claims: ClaimedDelivery[],
): Promise<ClaimedWork[]> {
  if (claims.length === 0) return [];
  const works = await loadDeliveryWork(
    trx,
    claims.map((claim) => claim.id),
  );
  const bodies = await buildBodies(trx, works);
  const workById = new Map(works.map((work) => [work.id, work]));
  const ready: ClaimedWork[] = [];
  for (const claim of claims) {
    const work = workById.get(claim.id);
    if (work) ready.push({ claim, work, body: bodies.get(work.eventId)! });
  }
  return ready;
}

/**
 * One body per event, from one query for all the events' reports. Every
 * delivery of an event carries the same body, so a fan-out builds it once.
 */
export async function buildBodies(
  trx: Transaction<Database>,
  works: ReadonlyArray<Pick<DeliveryWork, 'eventId' | 'orgId' | 'reportIds'>>,
): Promise<Map<string, string>> {
  const reportIds = new Map<string, string[]>();
  for (const work of works) {
    if (!reportIds.has(work.eventId)) {
      reportIds.set(work.eventId, JSON.parse(work.reportIds) as string[]);
    }
  }
  const all = [...new Set([...reportIds.values()].flat())];
  const summaries = await findReportSummaries(trx, all);

  const bodies = new Map<string, string>();
  for (const work of works) {
    if (bodies.has(work.eventId)) continue;
    const ids = new Set(reportIds.get(work.eventId));
    bodies.set(work.eventId, listBody(work.orgId, summaries, ids));
  }
  return bodies;
}

/**
 * The list answer for the reports in `ids`. Filtering keeps the query's
 * order (newest first, then by ID), which is the order the list API and a
 * query for these reports alone would give.
 */
function listBody(
  orgId: string,
  summaries: readonly ReportSummary[],
  ids: ReadonlySet<string>,
): string {
  const own = summaries.filter((summary) => ids.has(summary.id));
  return stringifyReportList(reportListBody(orgId, own));
}
