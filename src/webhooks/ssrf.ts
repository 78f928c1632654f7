/**
 * The SSRF guard: a webhook may only reach public unicast addresses, so that
 * an organization cannot make the server call its own loopback, the private
 * network it runs in or a cloud metadata service (contract part 3). Ranges
 * follow the IANA IPv4 and IPv6 special-purpose address registries.
 *
 * The same verdict is used when an endpoint is saved (checkWebhookUrl) and
 * when a delivery connects (send.ts), because DNS can change in between.
 */
import { lookup as dnsLookup } from 'node:dns/promises';

import { HubError } from '../errors.js';
import {
  type Cidr,
  type IpAddress,
  cidrContains,
  formatIPv4,
  ipv4At,
  parseCidr,
  parseIp,
} from './ip.js';

export interface AddressVerdict {
  allowed: boolean;
  /** Why the address is refused, for people: `private address 10.0.0.1`. */
  reason?: string;
}

/** Ranges an operator exempts from the guard (`WEBHOOK_ALLOWED_CIDRS`). */
export interface AllowList {
  readonly ranges: readonly Cidr[];
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to. */
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>;

export const noExemptions: AllowList = { ranges: [] };

interface Rule {
  range: Cidr;
  label: string;
}

function rules(table: Array<[string, string]>): Rule[] {
  return table.map(([text, label]) => {
    const range = parseCidr(text);
    if (range === null) throw new Error(`bad built-in range ${text}`);
    return { range, label };
  });
}

// Order matters only for the message: the narrower range comes first.
const ipv4Rules = rules([
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (carrier-grade NAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

const ipv6Rules = rules([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
  ['100::/64', 'discard-only'],
  ['2001::/32', 'Teredo tunnel'],
  ['2001::/23', 'IETF protocol'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'unique local (private)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
]);

/*
 * IPv6 forms that carry an IPv4 address: each is judged by the IPv4 address
 * inside, because that is where the packets end up (the kernel itself for
 * IPv4-mapped, a NAT64 gateway or a 6to4 relay for the others).
 */
const embeddings: Array<{ range: Cidr; offset: number; name: string }> = [
  { range: parseCidr('::ffff:0:0/96')!, offset: 12, name: 'IPv4-mapped' },
  { range: parseCidr('64:ff9b::/96')!, offset: 12, name: 'NAT64' },
  { range: parseCidr('2002::/16')!, offset: 2, name: '6to4' },
];

const ipv4Compatible = parseCidr('::/96')!;
const globalUnicast = parseCidr('2000::/3')!;

/**
 * Whether a webhook may connect to this address. Ranges in `allow` are
 * exempt; an exempt IPv4 range also covers its IPv4-mapped IPv6 form, since
 * the kernel treats `::ffff:127.0.0.1` as `127.0.0.1`.
 */
export function classifyAddress(
  ip: string,
  allow: AllowList = noExemptions,
): AddressVerdict {
  const address = parseIp(ip);
  if (address === null) {
    return { allowed: false, reason: `not an IP address: ${ip}` };
  }
  if (isExempt(address, allow)) return { allowed: true };

  const reason =
    address.family === 4 ? ipv4Refusal(address) : ipv6Refusal(address, ip);
  return reason === undefined ? { allowed: true } : { allowed: false, reason };
}

/**
 * Reads `WEBHOOK_ALLOWED_CIDRS`: comma-separated ranges, a bare address
 * meaning just that address. Throws on an entry it cannot read, so that a
 * typo fails at start rather than silently exempting nothing.
 */
export function parseAllowedCidrs(text: string | undefined): AllowList {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

  const ranges = entries.map((entry) => {
    const range = parseCidr(entry);
    if (range === null) {
      throw new Error(`WEBHOOK_ALLOWED_CIDRS: "${entry}" is not an IP range`);
    }
    return range;
  });
  return { ranges };
}

/**
 * Checks a webhook URL when it is saved: http or https, no credentials in
 * it, and every address its host resolves to allowed. Refuses with
 * `webhook_url_not_allowed` and the reason; returns the parsed URL.
 */
export async function checkWebhookUrl(
  url: string,
  options: { allow: AllowList; lookup?: LookupAll },
): Promise<URL> {
  const parsed = parseWebhookUrl(url);
  const host = urlHost(parsed);

  if (parseIp(host) !== null) {
    refuseForbidden(host, [host], options.allow);
    return parsed;
  }

  const addresses = await resolveHost(host, options.lookup ?? lookupAll);
  refuseForbidden(host, addresses, options.allow);
  return parsed;
}

/** The URL rules that need no DNS, shared by saving and sending. */
export function parseWebhookUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HubError('invalid_parameter', 'The webhook URL is not a URL.', {
      parameter: 'url',
    });
  }

  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw notAllowed(`scheme ${parsed.protocol} (only http and https)`);
  }
  // Credentials in a URL end up in logs and dashboards; use the secret.
  if (parsed.username !== '' || parsed.password !== '') {
    throw notAllowed('credentials in the URL');
  }
  return parsed;
}

/** The URL's host without the brackets URLs put around IPv6 addresses. */
export function urlHost(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/**
 * Throws `webhook_url_not_allowed` if any address is refused: one bad
 * address is enough, because the connection may pick any of them.
 */
export function refuseForbidden(
  host: string,
  addresses: readonly string[],
  allow: AllowList,
): void {
  for (const address of addresses) {
    const verdict = classifyAddress(address, allow);
    if (verdict.allowed) continue;
    const via = address === host ? '' : ` (${host} resolves to it)`;
    throw notAllowed(`${verdict.reason}${via}`);
  }
}

export async function lookupAll(hostname: string): Promise<ResolvedAddress[]> {
  return dnsLookup(hostname, { all: true });
}

async function resolveHost(host: string, lookup: LookupAll): Promise<string[]> {
  let resolved: ResolvedAddress[];
  try {
    resolved = await lookup(host);
  } catch (error) {
    throw notAllowed(`${host} does not resolve`, error);
  }
  if (resolved.length === 0) throw notAllowed(`${host} has no address`);
  return resolved.map((entry) => entry.address);
}

function notAllowed(reason: string, cause?: unknown): HubError {
  return new HubError(
    'webhook_url_not_allowed',
    `The webhook URL is not allowed: ${reason}.`,
    { parameter: 'url', cause },
  );
}

function isExempt(address: IpAddress, allow: AllowList): boolean {
  const mapped = embeddings[0]!;
  const plain =
    address.family === 6 && cidrContains(mapped.range, address)
      ? ipv4At(address.bytes, mapped.offset)
      : undefined;

  return allow.ranges.some(
    (range) =>
      cidrContains(range, address) ||
      (plain !== undefined && cidrContains(range, plain)),
  );
}

function ipv4Refusal(address: IpAddress): string | undefined {
  const rule = ipv4Rules.find((r) => cidrContains(r.range, address));
  return rule && `${rule.label} address ${formatIPv4(address)}`;
}

function ipv6Refusal(address: IpAddress, text: string): string | undefined {
  const rule = ipv6Rules.find((r) => cidrContains(r.range, address));
  if (rule) return `${rule.label} address ${text}`;

  const embedding = embeddings.find((e) => cidrContains(e.range, address));
  if (embedding) {
    const inner = ipv4Refusal(ipv4At(address.bytes, embedding.offset));
    return inner && `${inner} inside ${embedding.name} address ${text}`;
  }

  // Deprecated (RFC 4291); nothing legitimate is reached this way.
  if (cidrContains(ipv4Compatible, address)) {
    return `deprecated IPv4-compatible address ${text}`;
  }
  if (!cidrContains(globalUnicast, address)) {
    return `reserved IPv6 address ${text}`;
  }
  return undefined;
}
