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

export interface Database {
  organizations: OrganizationsTable;
  tokens: TokensTable;
  products: ProductsTable;
  reports: ReportsTable;
  report_files: ReportFilesTable;
  events: EventsTable;
}

export type { ColumnType };
