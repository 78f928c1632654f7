/**
 * IP addresses and ranges as bytes, so that IPv4 and IPv6 ranges (and the
 * IPv4 addresses hidden inside IPv6 ones) can be compared with one routine.
 * node:net validates the text; this module only converts what it accepted.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  bytes: Uint8Array;
}

export interface Cidr {
  family: 4 | 6;
  bytes: Uint8Array;
  prefixLength: number;
}

/**
 * Reads an IPv4 or IPv6 address. Brackets (`[::1]`, as in URLs) and a zone
 * (`fe80::1%eth0`) are accepted and dropped. Returns null for anything else,
 * including the shorthand forms (`127.1`, `0x7f.0.0.1`) that node:net refuses.
 */
export function parseIp(text: string): IpAddress | null {
  const bare = withoutZone(withoutBrackets(text.trim()));
  if (isIPv4(bare)) return { family: 4, bytes: ipv4Bytes(bare) };
  if (isIPv6(bare)) return { family: 6, bytes: ipv6Bytes(bare) };
  return null;
}

/** Reads `a.b.c.d/n` or `x::/n`; a bare address is a one-address range. */
export function parseCidr(text: string): Cidr | null {
  const [addressText = '', prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return null;

  const address = parseIp(addressText);
  if (address === null) return null;

  const maxLength = address.bytes.length * 8;
  if (prefixText === undefined) {
    return { ...address, prefixLength: maxLength };
  }
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefixLength = Number(prefixText);
  if (prefixLength > maxLength) return null;
  return { ...address, prefixLength };
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.family !== address.family) return false;

  const fullBytes = Math.floor(cidr.prefixLength / 8);
  for (let i = 0; i < fullBytes; i++) {
    if (cidr.bytes[i] !== address.bytes[i]) return false;
  }

  const restBits = cidr.prefixLength % 8;
  if (restBits === 0) return true;
  const mask = (0xff << (8 - restBits)) & 0xff;
  return ((cidr.bytes[fullBytes]! ^ address.bytes[fullBytes]!) & mask) === 0;
}

/** The IPv4 address stored in four bytes of an IPv6 address. */
export function ipv4At(bytes: Uint8Array, offset: number): IpAddress {
  return { family: 4, bytes: bytes.slice(offset, offset + 4) };
}

/** Dotted-quad text of an IPv4 address, for messages. */
export function formatIPv4(address: IpAddress): string {
  return address.bytes.join('.');
}

function withoutBrackets(text: string): string {
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
}

function withoutZone(text: string): string {
  const percent = text.indexOf('%');
  return percent === -1 ? text : text.slice(0, percent);
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

function ipv6Bytes(text: string): Uint8Array {
  const groups = ipv6Groups(withHexTail(text));
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** `::ffff:10.0.0.1` -> `::ffff:a00:1`, so every group is hexadecimal. */
function withHexTail(text: string): string {
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (!tail.includes('.')) return text;

  const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(tail);
  const high = ((a << 8) | b).toString(16);
  const low = ((c << 8) | d).toString(16);
  return `${text.slice(0, lastColon + 1)}${high}:${low}`;
}

function ipv6Groups(text: string): number[] {
  const [leftText = '', rightText] = text.split('::');
  const left = leftText === '' ? [] : leftText.split(':');
  const right =
    rightText === undefined || rightText === '' ? [] : rightText.split(':');
  const zeros = rightText === undefined ? 0 : 8 - left.length - right.length;
  const filler = new Array<string>(zeros).fill('0');
  return [...left, ...filler, ...right].map((group) => parseInt(group, 16));
}
