import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiUrl } from '../../src/cli/client.js';
import { outputPath } from '../../src/cli/reports.js';

test('API paths are added under the server base path', () => {
  assert.equal(
    apiUrl('https://example.test/hub/', '/security/report/list').href,
    'https://example.test/hub/security/report/list',
  );
  assert.equal(
    apiUrl('http://localhost:8080', '/healthz').href,
    'http://localhost:8080/healthz',
  );
  assert.throws(() => apiUrl('localhost', '/x'), /--server must be a URL/);
});

test('a download is saved under a plain name the server cannot steer', () => {
  const name = 'security-reports-20251217T090548Z.zip';
  assert.equal(outputPath(undefined, `attachment; filename="${name}"`), name);
  assert.equal(
    outputPath(undefined, 'attachment; filename="../../.bashrc"'),
    'security-reports.zip',
  );
  assert.equal(
    outputPath(undefined, 'attachment; filename="/etc/x.zip"'),
    'x.zip',
  );
  assert.equal(outputPath('chosen.zip', 'anything'), 'chosen.zip');
});
