import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { readZip } from '../support/zip.js';

let server: TestServer;
let orgId: string;
let token: string;

const metadata = {
  projectName: 'Legacy Portal',
  projectVersion: '2.3',
  reportType: 'OWASP Top 10',
  reportVersion: 2021,
  date: '2025-11-02T10:00:00Z',
  vulnerabilitiesCount: 7,
  securityRating: 'D',
};

const pdfBytes = Buffer.from('%PDF-1.7\n% a tiny but real PDF header\n');

function form(
  meta: unknown,
  files: Array<[string, Buffer | string, string?]>,
): FormData {
  const data = new FormData();
  if (meta !== undefined) data.append('metadata', JSON.stringify(meta));
  for (const [name, content, type] of files) {
    data.append(
      'file',
      new Blob([content], { type: type ?? 'application/octet-stream' }),
      name,
    );
  }
  return data;
}

async function upload(body: FormData, bearer = token) {
  const response = await fetch(`${server.url}/security/report/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}` },
    body,
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function count(): Promise<number> {
  const response = await fetch(
    `${server.url}/security/report/list?org=${orgId}&minver=0`,
  );
  return ((await response.json()) as any).reports.length;
}

before(async () => {
  server = await startTestServer({
    maxUploadFileBytes: 64 * 1024,
    maxUploadRequestBytes: 100 * 1024,
  });
  orgId = (await server.createOrg()).id;
  token = await server.createToken(orgId);
});

after(() => server.close());

describe('uploading a finished report', () => {
  test('stores metadata and files and lists the report', async () => {
    const { status, body } = await upload(
      form(metadata, [
        ['report.pdf', pdfBytes, 'application/pdf'],
        ['report.html', '<h1>Legacy Portal</h1>', 'text/html'],
        ['findings.csv', 'rule,line\nS1,2\n'],
      ]),
    );
    assert.equal(status, 201, JSON.stringify(body));
    const [report] = body.reports;
    assert.equal(report.projectName, 'Legacy Portal');
    assert.equal(report.projectVersion, '2.3');
    assert.equal(report.reportType, 'OWASP Top 10');
    assert.equal(report.reportVersion, 2021);
    assert.equal(report.date, '2025-11-02T10:00:00.0000000+00:00');
    assert.equal(report.vulnerabilitiesCount, 7);
    assert.equal(report.securityRating, 'D');

    const zip = await fetch(
      `${server.url}/security/report/files?org=${orgId}&reports=${report.id}`,
    );
    const entries = await readZip(Buffer.from(await zip.arrayBuffer()));
    const folder = 'Legacy Portal 2.3 OWASP Top 10 2021';
    assert.deepEqual([...entries.keys()].sort(), [
      `${folder}/findings.csv`,
      `${folder}/report.html`,
      `${folder}/report.pdf`,
      'manifest.json',
    ]);
    assert.deepEqual(entries.get(`${folder}/report.pdf`), pdfBytes);
  });

  test('uploading the same identity again replaces it with 200', async () => {
    const { status, body } = await upload(
      form({ ...metadata, vulnerabilitiesCount: 1, securityRating: 'B' }, [
        ['report.pdf', pdfBytes],
      ]),
    );
    assert.equal(status, 200);
    assert.equal(body.reports[0].vulnerabilitiesCount, 1);
    assert.equal(await count(), 1);
  });
});

describe('bad uploads store nothing', () => {
  const cases: Array<[string, () => FormData, number, string]> = [
    [
      'an HTML file posing as a PDF',
      () =>
        form({ ...metadata, projectVersion: '9' }, [
          ['report.pdf', '<html>not a pdf</html>'],
        ]),
      400,
      'invalid_upload',
    ],
    [
      'no metadata part',
      () => form(undefined, [['report.pdf', pdfBytes]]),
      400,
      'invalid_upload',
    ],
    [
      'metadata that is not JSON',
      () => {
        const f = new FormData();
        f.append('metadata', '{nope');
        f.append('file', new Blob([pdfBytes]), 'r.pdf');
        return f;
      },
      400,
      'invalid_upload',
    ],
    [
      'a rating outside A-E',
      () =>
        form({ ...metadata, securityRating: 'F' }, [['report.pdf', pdfBytes]]),
      400,
      'invalid_upload',
    ],
    [
      'a count beyond 32 bits',
      () =>
        form({ ...metadata, vulnerabilitiesCount: 3_000_000_000 }, [
          ['report.pdf', pdfBytes],
        ]),
      400,
      'invalid_upload',
    ],
    [
      'a date in year 275760',
      () =>
        form({ ...metadata, date: '+275760-09-13T00:00:00Z' }, [
          ['report.pdf', pdfBytes],
        ]),
      400,
      'invalid_upload',
    ],
    [
      'a date before 1970',
      () =>
        form({ ...metadata, date: '1960-01-01T00:00:00Z' }, [
          ['report.pdf', pdfBytes],
        ]),
      400,
      'invalid_upload',
    ],
    [
      'a date without a time and offset',
      () =>
        form({ ...metadata, date: '2025-11-02' }, [['report.pdf', pdfBytes]]),
      400,
      'invalid_upload',
    ],
    [
      'a NUL byte in the product name',
      () =>
        form({ ...metadata, projectName: 'a\u0000b' }, [
          ['report.pdf', pdfBytes],
        ]),
      400,
      'invalid_upload',
    ],
    [
      'two metadata parts',
      () => {
        const f = form(metadata, [['report.pdf', pdfBytes]]);
        f.append('metadata', JSON.stringify(metadata));
        return f;
      },
      400,
      'invalid_upload',
    ],
    [
      'a negative count',
      () =>
        form({ ...metadata, vulnerabilitiesCount: -1 }, [
          ['report.pdf', pdfBytes],
        ]),
      400,
      'invalid_upload',
    ],
    [
      'only a CSV file',
      () => form(metadata, [['findings.csv', 'a,b']]),
      400,
      'invalid_upload',
    ],
    [
      'a file over the per-file limit',
      () =>
        form(metadata, [
          ['report.pdf', Buffer.concat([pdfBytes, Buffer.alloc(70 * 1024)])],
        ]),
      413,
      'payload_too_large',
    ],
    [
      'files over the per-request limit',
      () =>
        form(metadata, [
          ['a.pdf', Buffer.concat([pdfBytes, Buffer.alloc(60 * 1024)])],
          ['b.pdf', Buffer.concat([pdfBytes, Buffer.alloc(60 * 1024)])],
        ]),
      413,
      'payload_too_large',
    ],
  ];
  for (const [name, body, status, code] of cases) {
    test(`${name} answers ${status} ${code}`, async () => {
      const before = await count();
      const answer = await upload(body());
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.equal(answer.body.code, code);
      assert.equal(await count(), before);
    });
  }

  test('a JSON body answers 415', async () => {
    const response = await fetch(`${server.url}/security/report/upload`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(metadata),
    });
    assert.equal(response.status, 415);
    assert.equal(
      ((await response.json()) as any).code,
      'unsupported_media_type',
    );
  });
});

describe('malformed multipart bodies answer 400, never 500', () => {
  async function postRaw(contentType: string, body: string) {
    const response = await fetch(`${server.url}/security/report/upload`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': contentType,
      },
      body,
    });
    return {
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      body: (await response.json()) as { code: string; message: string },
    };
  }

  test('multipart/form-data without a boundary answers 400 invalid_upload', async () => {
    const { status, body, requestId } = await postRaw(
      'multipart/form-data',
      'metadata=x',
    );
    assert.equal(status, 400, JSON.stringify(body));
    assert.equal(body.code, 'invalid_upload');
    assert.match(body.message, /boundary/);
    assert.match(requestId ?? '', /^req_/);
  });

  test('a multipart body cut off before its closing boundary answers 400 invalid_upload', async () => {
    const boundary = 'cutshort';
    const truncated =
      `--${boundary}\r\n` +
      'Content-Disposition: form-data; name="metadata"\r\n\r\n' +
      `${JSON.stringify(metadata)}\r\n` +
      `--${boundary}\r\n` +
      'Content-Disposition: form-data; name="file"; filename="report.pdf"\r\n' +
      'Content-Type: application/pdf\r\n\r\n' +
      pdfBytes.toString('latin1');
    const { status, body } = await postRaw(
      `multipart/form-data; boundary=${boundary}`,
      truncated,
    );
    assert.equal(status, 400, JSON.stringify(body));
    assert.equal(body.code, 'invalid_upload');
  });
});
