/**
 * Table types for Kysely. Times are integer microseconds since the Unix
 * epoch in both databases: exact, sortable, and formatted with seven
 * fractional digits only at the HTTP edge.
 */
import type { ColumnType, Generated } from 'kysely';

/** Microseconds since 1970-01-01T00:00:00Z. */
export type Micros = number;

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at_us: Micros;
  /** Bumped by every change to the org's reports; keys the list cache. */
  reports_generation: ColumnType<number, number | undefined, number>;
}

export type TokenKind = 'ingest' | 'admin';

export interface TokensTable {
  id: string;
  org_id: string | null;
  name: string;
  kind: TokenKind;
  token_hash: string;
  created_at_us: Micros;
  revoked_at_us: Micros | null;
  last_used_at_us: Micros | null;
}

export interface ProductsTable {
  id: string;
  org_id: string;
  project_key: string;
  name: string;
  report_file_name: string | null;
  sonar_url: string | null;
  created_at_us: Micros;
}

export interface ReportsTable {
  id: string;
  org_id: string;
  product_id: string;
  project_version: string;
  /** Null when the stored version cannot be read as a version. */
  ver_major: number | null;
  ver_minor: number | null;
  ver_patch: number | null;
  ver_pre: string | null;
  report_type: string;
  report_version: number;
  date_us: Micros;
  upload_date_us: Micros;
  vulnerabilities_count: number;
  security_rating: string;
  unmapped_count: number;
}

export interface ReportFilesTable {
  report_id: string;
  name: string;
  /** Content address in the file store (SHA-256, hex). */
  storage_key: string;
  size_bytes: number;
  content_type: string;
}

export interface EventsTable {
  id: string;
  org_id: string;
  type: string;
  /** JSON array of report IDs the event announces. */
  report_ids: string;
  created_at_us: Micros;
  seq: Generated<number>;
}

export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  description: string;
  /** 1 or 0: SQLite has no boolean type. */
  enabled: number;
  /** JSON array of the event types the endpoint subscribes to. */
  event_types: string;
  /** Sealed by the secret box; never stored in clear. */
  secret_encrypted: string;
  /** The secret before the last rotation, still signing until it expires. */
  previous_secret_encrypted: string | null;
  previous_secret_expires_at_us: Micros | null;
  disabled_reason: string | null;
  created_at_us: Micros;
  updated_at_us: Micros;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  /** `msg_...`: the `webhook-id` header, the same on every retry. */
  id: string;
  event_id: string;
  endpoint_id: string;
  org_id: string;
  status: DeliveryStatus;
  attempts: number;
  /** When it is due; while delivering, when its lease runs out. */
  next_attempt_at_us: Micros;
  lease_until_us: Micros | null;
  /** Start of the retry window: creation, or the last manual redelivery. */
  window_start_us: Micros;
  created_at_us: Micros;
  last_attempt_at_us: Micros | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at_us: Micros | null;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  at_us: Micros;
  /** The receiver's HTTP status; null when no response arrived. */
  status: number | null;
  duration_ms: number;
  error: string | null;
  /** The first 1 KiB of the response body. */
  response_snippet: string;
}

export interface Database {
  organizations: OrganizationsTable;
  tokens: TokensTable;
  products: ProductsTable;
  reports: ReportsTable;
  report_files: ReportFilesTable;
  events: EventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type { ColumnType };
