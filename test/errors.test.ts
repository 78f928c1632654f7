import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { errorCatalogue, HubError } from '../src/errors.js';

const apiDocs = readFileSync('docs/api.md', 'utf8');

test('every error code is documented in docs/api.md with its status', () => {
  for (const [code, { status }] of Object.entries(errorCatalogue)) {
    const row = new RegExp(`\\| \`${code}\` +\\| ${status} +\\|`);
    assert.match(apiDocs, row, `${code} (${status}) missing from docs/api.md`);
  }
});

test('the contract codes are all in the catalogue', () => {
  const contract = [
    'missing_parameter',
    'invalid_parameter',
    'invalid_version',
    'version_filter_required',
    'invalid_version_range',
    'too_many_reports',
    'unauthorized',
    'forbidden',
    'payload_too_large',
    'unsupported_media_type',
    'not_found',
    'internal_error',
  ];
  for (const code of contract) assert.ok(code in errorCatalogue, code);
});

test('an error body names its parameter only when there is one', () => {
  assert.deepEqual(
    new HubError('invalid_version', 'bad', { parameter: 'minver' }).toBody(),
    {
      code: 'invalid_version',
      message: 'bad',
      parameter: 'minver',
    },
  );
  assert.deepEqual(new HubError('unauthorized').toBody(), {
    code: 'unauthorized',
    message: 'A valid bearer token is required.',
  });
});
