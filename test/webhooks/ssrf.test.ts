// The guard is tested as a function over addresses: nothing here opens a
// connection, so the addresses below are never contacted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  type ResolvedAddress,
  checkWebhookUrl,
  classifyAddress,
  noExemptions,
  parseAllowedCidrs,
} from '../../src/webhooks/ssrf.js';

const refused: Array<[string, RegExp]> = [
  ['10.0.0.1', /^private address 10\.0\.0\.1$/],
  ['172.16.0.1', /^private address/],
  ['172.31.255.255', /^private address/],
  ['192.168.1.1', /^private address/],
  ['169.254.169.254', /^link-local \(cloud metadata\) address/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['::ffff:10.0.0.1', /^private address 10\.0\.0\.1 inside IPv4-mapped/],
  ['::ffff:a00:1', /^private address 10\.0\.0\.1 inside IPv4-mapped/],
  ['[::ffff:10.0.0.1]', /^private address 10\.0\.0\.1/],
  ['64:ff9b::a00:1', /^private address 10\.0\.0\.1 inside NAT64/],
  ['64:ff9b:1::a00:1', /^local-use NAT64 address/],
  ['2002:a00:1::', /^private address 10\.0\.0\.1 inside 6to4/],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /^Teredo tunnel address/],
  ['::10.0.0.1', /^deprecated IPv4-compatible address/],
  ['fd00::1', /^unique local \(private\) address fd00::1$/],
  ['224.0.0.1', /^multicast address/],
  ['ff02::1', /^multicast address/],
  ['0.0.0.0', /^unspecified address/],
  ['::', /^unspecified address/],
  ['127.9.9.9', /^loopback address 127\.9\.9\.9$/],
  ['::1', /^loopback address ::1$/],
  ['::ffff:127.0.0.1', /^loopback address 127\.0\.0\.1 inside IPv4-mapped/],
  ['fe80::1', /^link-local address/],
  ['fe80::1%eth0', /^link-local address/],
  ['255.255.255.255', /^broadcast address/],
  ['192.0.2.10', /^documentation address/],
  ['198.51.100.1', /^documentation address/],
  ['203.0.113.7', /^documentation address/],
  ['2001:db8::1', /^documentation address/],
  ['198.18.0.1', /^benchmarking address/],
  ['240.0.0.1', /^reserved address/],
  ['4000::1', /^reserved IPv6 address/],
  ['example.com', /^not an IP address/],
  ['127.1', /^not an IP address/],
];

const allowed = [
  '93.184.216.34',
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '2606:4700::1111',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

describe('classifying addresses', () => {
  for (const [address, reason] of refused) {
    it(`refuses ${address} and says why`, () => {
      const verdict = classifyAddress(address);

      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason ?? '', reason);
    });
  }

  for (const address of allowed) {
    it(`allows the public address ${address}`, () => {
      assert.deepEqual(classifyAddress(address), { allowed: true });
    });
  }
});

describe('the allow-list', () => {
  const loopback = parseAllowedCidrs('127.0.0.0/8');

  it('exempts addresses in a listed range', () => {
    assert.equal(classifyAddress('127.9.9.9', loopback).allowed, true);
  });

  it('exempts the IPv4-mapped form of a listed IPv4 range', () => {
    assert.equal(classifyAddress('::ffff:127.0.0.1', loopback).allowed, true);
  });

  it('exempts nothing outside the listed ranges', () => {
    assert.equal(classifyAddress('10.0.0.1', loopback).allowed, false);
    assert.equal(classifyAddress('::1', loopback).allowed, false);
  });

  it('reads several ranges, bare addresses and blanks', () => {
    const allow = parseAllowedCidrs(' 127.0.0.0/8, ::1/128 ,,10.1.2.3');

    assert.equal(allow.ranges.length, 3);
    assert.equal(classifyAddress('::1', allow).allowed, true);
    assert.equal(classifyAddress('10.1.2.3', allow).allowed, true);
    assert.equal(classifyAddress('10.1.2.4', allow).allowed, false);
  });

  it('is empty when the setting is empty or unset', () => {
    assert.deepEqual(parseAllowedCidrs(''), noExemptions);
    assert.deepEqual(parseAllowedCidrs(undefined), noExemptions);
  });

  it('fails loudly on an entry it cannot read', () => {
    assert.throws(() => parseAllowedCidrs('127.0.0.0/33'), /127\.0\.0\.0\/33/);
    assert.throws(() => parseAllowedCidrs('localhost'), /localhost/);
  });
});

/** A resolver that answers from a table; no real DNS is asked. */
function fakeLookup(table: Record<string, string[]>) {
  const asked: string[] = [];
  const lookup = async (host: string): Promise<ResolvedAddress[]> => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
  return { lookup, asked };
}

function refusedWith(pattern: RegExp) {
  return (error: Error & { code?: string }) =>
    error.code === 'webhook_url_not_allowed' && pattern.test(error.message);
}

describe('checking a webhook URL when it is saved', () => {
  const allow = noExemptions;

  it('accepts a host whose addresses are all public', async () => {
    const { lookup } = fakeLookup({ 'hooks.test': ['93.184.216.34'] });

    const url = await checkWebhookUrl('https://hooks.test/in', {
      allow,
      lookup,
    });

    assert.equal(url.href, 'https://hooks.test/in');
  });

  it('refuses a host when any one of its addresses is forbidden', async () => {
    const { lookup } = fakeLookup({
      'mixed.test': ['93.184.216.34', '10.0.0.1'],
    });

    await assert.rejects(
      checkWebhookUrl('https://mixed.test/', { allow, lookup }),
      refusedWith(/private address 10\.0\.0\.1 \(mixed\.test resolves to it\)/),
    );
  });

  it('judges IP literals without asking DNS', async () => {
    const { lookup, asked } = fakeLookup({});

    for (const url of [
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]:8080/',
      'http://2130706433/',
      'http://0x7f.1/',
    ]) {
      await assert.rejects(
        checkWebhookUrl(url, { allow, lookup }),
        refusedWith(/loopback/),
      );
    }
    assert.deepEqual(asked, []);
  });

  it('refuses schemes other than http and https', async () => {
    await assert.rejects(
      checkWebhookUrl('ftp://hooks.test/', { allow }),
      refusedWith(/scheme ftp:/),
    );
  });

  it('refuses credentials in the URL without repeating them', async () => {
    await assert.rejects(
      checkWebhookUrl('https://user:hunter2@hooks.test/', { allow }),
      (error: Error) =>
        refusedWith(/credentials/)(error) && !error.message.includes('hunter2'),
    );
  });

  it('refuses a host that does not resolve', async () => {
    const { lookup } = fakeLookup({});

    await assert.rejects(
      checkWebhookUrl('https://nowhere.test/', { allow, lookup }),
      refusedWith(/nowhere\.test does not resolve/),
    );
  });

  it('lets the allow-list through', async () => {
    const { lookup } = fakeLookup({ 'dev.test': ['127.0.0.1'] });
    const loopback = parseAllowedCidrs('127.0.0.0/8');

    await checkWebhookUrl('http://dev.test:3000/', { allow: loopback, lookup });
  });
});
