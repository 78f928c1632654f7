import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedReport } from '../support/reports.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface ListBody {
  organizationId: string;
  reports: Array<{ id: string; projectVersion: string; date: string }>;
  nextPageToken?: string;
}

const stored = [
  '1.0',
  '1.0.0',
  'v1.0.0',
  '1.0.0+42',
  '1.0.0-alpha',
  '1.0.0-rc.1',
  '1.0.0-rc.2',
  '1.0.0-rc.10',
  '1.0.1',
  '1.2.3',
  '2.0.0-rc.1+build.7',
  '9.0.0',
  '10.0.0',
  'not provided',
];

let server: TestServer;
let orgId: string;

async function list(query: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/security/report/list?${query}`);
  return { status: response.status, body: await response.json() };
}

async function versions(query: string): Promise<string[]> {
  const { status, body } = await list(`org=${orgId}&${query}`);
  assert.equal(status, 200, JSON.stringify(body));
  return (body as ListBody).reports.map((r) => r.projectVersion).sort();
}

before(async () => {
  server = await startTestServer();
  orgId = (await server.createOrg()).id;
  for (const [i, projectVersion] of stored.entries()) {
    await seedReport(server, orgId, {
      projectVersion,
      date: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
    });
  }
});

after(() => server.close());

describe('version filters', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'an exact version matches its lenient forms',
      'version=1.0',
      ['1.0', '1.0.0', '1.0.0+42', 'v1.0.0'],
    ],
    [
      'a v prefix and missing parts are read leniently',
      'version=v1',
      ['1.0', '1.0.0', '1.0.0+42', 'v1.0.0'],
    ],
    [
      'build metadata in the filter is ignored',
      'version=1.0.0%2B999',
      ['1.0', '1.0.0', '1.0.0+42', 'v1.0.0'],
    ],
    [
      'an exact pre-release matches only itself',
      'version=1.0.0-rc.1',
      ['1.0.0-rc.1'],
    ],
    [
      'versions compare as numbers, not strings',
      'minver=9',
      ['10.0.0', '9.0.0'],
    ],
    [
      'a maximum includes pre-releases ordered by number',
      'maxver=1.0.0-rc.2',
      ['1.0.0-alpha', '1.0.0-rc.1', '1.0.0-rc.2'],
    ],
    [
      'a range includes the pre-releases of its upper bound',
      'minver=1.0.0-rc.1&maxver=1.0.0',
      [
        '1.0',
        '1.0.0',
        '1.0.0+42',
        '1.0.0-rc.1',
        '1.0.0-rc.10',
        '1.0.0-rc.2',
        'v1.0.0',
      ],
    ],
    [
      'a range between releases includes pre-releases inside it',
      'minver=1.0.1&maxver=9',
      ['1.0.1', '1.2.3', '2.0.0-rc.1+build.7', '9.0.0'],
    ],
    [
      'filters combine with AND',
      'version=1.0&minver=1.0.0&maxver=1.0.0',
      ['1.0', '1.0.0', '1.0.0+42', 'v1.0.0'],
    ],
    [
      'a stored version that is not SemVer matches no filter',
      'minver=0',
      stored.filter((v) => v !== 'not provided').sort(),
    ],
    ['no match is an empty list', 'version=3', []],
  ];
  for (const [name, query, expected] of cases) {
    test(name, async () => {
      assert.deepEqual(await versions(query), expected);
    });
  }
});

describe('the list response', () => {
  test('keeps the published field order and timestamp format', async () => {
    const response = await fetch(
      `${server.url}/security/report/list?org=${orgId}&version=1.2.3`,
    );
    const text = await response.text();
    assert.equal(
      response.headers.get('content-type'),
      'application/json; charset=utf-8',
    );
    assert.match(
      text,
      /^\{"organizationId":"[0-9a-f-]{36}","reports":\[\{"projectName":"Test product","id":"[0-9a-f-]{36}","reportType":"CWE Top 25","reportVersion":2024,"projectVersion":"1\.2\.3","date":"2025-01-10T00:00:00\.0000000\+00:00","uploadDate":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00","vulnerabilitiesCount":0,"securityRating":"A"\}\]\}$/,
    );
    assert.ok(response.headers.get('x-request-id'));
  });

  test('lists newest analysis first', async () => {
    const { body } = await list(`org=${orgId}&minver=0`);
    const dates = (body as ListBody).reports.map((r) => r.date);
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.equal((body as ListBody).reports[0]!.projectVersion, '10.0.0');
  });

  test('accepts an upper-case org ID and answers in lower case', async () => {
    const { status, body } = await list(
      `org=${orgId.toUpperCase()}&version=1.2.3`,
    );
    assert.equal(status, 200);
    assert.equal(body.organizationId, orgId);
    assert.equal(body.reports.length, 1);
  });

  test('an unknown org is an empty list, not an error', async () => {
    const unknown = '00000000-0000-0000-0000-000000000009';
    const { status, body } = await list(`org=${unknown}&version=1.0`);
    assert.equal(status, 200);
    assert.deepEqual(body, { organizationId: unknown, reports: [] });
  });
});

describe('paging', () => {
  test('pages of one walk every report exactly once, equal dates by id', async () => {
    const other = (await server.createOrg('Paging')).id;
    const sameDate = '2025-06-01T12:00:00.000Z';
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const report = await seedReport(server, other, {
        projectVersion: `2.0.${i}`,
        date: sameDate,
      });
      ids.push(report.id);
    }
    const older = await seedReport(server, other, {
      projectVersion: '1.0.0',
      date: '2024-01-01T00:00:00.000Z',
    });

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const query = `org=${other}&minver=0&pageSize=1${token ? `&pageToken=${token}` : ''}`;
      const { status, body } = await list(query);
      assert.equal(status, 200);
      assert.equal(body.reports.length, 1);
      seen.push(body.reports[0].id);
      token = body.nextPageToken;
      pages += 1;
    } while (token && pages < 20);

    assert.deepEqual(seen, [...ids.sort(), older.id]);
    assert.equal(pages, 6);
  });

  test('no nextPageToken when everything fits on one page', async () => {
    const { body } = await list(`org=${orgId}&version=1.0&pageSize=4`);
    assert.equal(body.reports.length, 4);
    assert.equal('nextPageToken' in body, false);
  });
});

describe('bad list parameters', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['a missing org', 'version=1.0', 'missing_parameter', 'org'],
    [
      'an org that is not a UUID',
      'org=acme&version=1.0',
      'invalid_parameter',
      'org',
    ],
    ['an empty org', 'org=&version=1.0', 'invalid_parameter', 'org'],
    [
      'a repeated org',
      'org=ORG&org=ORG&version=1.0',
      'invalid_parameter',
      'org',
    ],
    ['no version filter', 'org=ORG', 'version_filter_required', undefined],
    [
      'a version with an empty part',
      'org=ORG&version=1..2',
      'invalid_version',
      'version',
    ],
    [
      'a version with a leading zero',
      'org=ORG&minver=01.2.3',
      'invalid_version',
      'minver',
    ],
    ['an empty version', 'org=ORG&maxver=', 'invalid_version', 'maxver'],
    [
      'minver above maxver',
      'org=ORG&minver=2&maxver=1.9',
      'invalid_version_range',
      'minver',
    ],
    [
      'a page size of 0',
      'org=ORG&version=1&pageSize=0',
      'invalid_parameter',
      'pageSize',
    ],
    [
      'a page size above 1000',
      'org=ORG&version=1&pageSize=1001',
      'invalid_parameter',
      'pageSize',
    ],
    [
      'a forged page token',
      'org=ORG&version=1&pageToken=abc',
      'invalid_page_token',
      'pageToken',
    ],
  ];
  for (const [name, query, code, parameter] of cases) {
    test(`${name} answers 400 ${code}`, async () => {
      const { status, body } = await list(query.replaceAll('ORG', orgId));
      assert.equal(status, 400);
      assert.equal(body.code, code);
      assert.equal(body.parameter, parameter);
      assert.equal(typeof body.message, 'string');
    });
  }
});

test('parameter errors are explained in words, not validator terms', async () => {
  const cases: Array<[string, string]> = [
    [`org=${orgId}&version=1&version=2`, '"version" must be given once.'],
    [
      `org=${orgId}&version=1&pageSize=abc`,
      '"pageSize" must be a whole number.',
    ],
    [
      `org=${orgId}&version=1&pageSize=5000`,
      '"pageSize" must be at most 1000.',
    ],
  ];
  for (const [query, message] of cases) {
    const { body } = await list(query);
    assert.equal(body.message, message);
  }
});
