/**
 * Every setting, its default and its unit, read once from the environment
 * (contract part 6). Commands may override single values with flags.
 */
import { resolve } from 'node:path';

export interface S3Config {
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  s3: S3Config | undefined;
  webhookRetryIntervalSeconds: number;
  webhookMaxAgeHours: number;
  webhookTimeoutMs: number;
  webhookAllowedCidrs: string;
  /** How often unreferenced files are removed and statistics refreshed. */
  maintenanceIntervalSeconds: number;
  /** Base64 key that encrypts stored secrets; generated when unset. */
  secretKey: string | undefined;
  maxUploadFileBytes: number;
  maxUploadRequestBytes: number;
  maxBundleBytes: number;
  /** Ingests processed at once; more are answered 429 with Retry-After. */
  maxConcurrentIngests: number;
  /** Reports held in the list cache across pages; 0 turns it off. */
  listCacheReports: number;
  logLevel: string;
}

const MiB = 1024 * 1024;

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number >= ${min}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string): boolean {
  return ['1', 'true', 'yes'].includes((env[name] ?? '').toLowerCase());
}

function readS3(env: Env): S3Config | undefined {
  const bucket = env.S3_BUCKET;
  if (!bucket) return undefined;
  return {
    endpoint: env.S3_ENDPOINT || undefined,
    bucket,
    region: env.S3_REGION || 'us-east-1',
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: flag(env, 'S3_FORCE_PATH_STYLE'),
  };
}

/** Reads and validates the configuration; throws one clear error. */
export function loadConfig(
  env: Env = process.env,
  overrides: Partial<Config> = {},
): Config {
  const config: Config = {
    port: integer(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    s3: readS3(env),
    webhookRetryIntervalSeconds: integer(
      env,
      'WEBHOOK_RETRY_INTERVAL_SECONDS',
      3600,
      1,
    ),
    webhookMaxAgeHours: integer(env, 'WEBHOOK_MAX_AGE_HOURS', 72, 0),
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 15000, 1),
    webhookAllowedCidrs: env.WEBHOOK_ALLOWED_CIDRS ?? '',
    maintenanceIntervalSeconds: integer(
      env,
      'MAINTENANCE_INTERVAL_SECONDS',
      3600,
      1,
    ),
    secretKey: env.SECRET_KEY || undefined,
    maxUploadFileBytes: integer(env, 'MAX_UPLOAD_FILE_BYTES', 50 * MiB, 1),
    maxUploadRequestBytes: integer(
      env,
      'MAX_UPLOAD_REQUEST_BYTES',
      200 * MiB,
      1,
    ),
    maxBundleBytes: integer(env, 'MAX_BUNDLE_BYTES', 200 * MiB, 1),
    maxConcurrentIngests: integer(env, 'MAX_CONCURRENT_INGESTS', 4, 1),
    listCacheReports: integer(env, 'LIST_CACHE_REPORTS', 100_000, 0),
    logLevel: env.LOG_LEVEL || 'info',
  };
  return { ...config, ...overrides };
}
