/**
 * Where the shared SonarQube fixtures live, and a `test` that says so
 * visibly when they are missing instead of passing silently. Set
 * REQUIRE_FIXTURES=1 (as CI does) to make their absence a failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

/** Tests run from the repository root; the fixtures sit beside it. */
export const fixturesDir = path.resolve(
  process.cwd(),
  process.env.SONARQUBE_FIXTURES_DIR ?? '../shared/fixtures/sonarqube',
);

const present = existsSync(fixturesDir);

/** A test that needs the shared fixtures. */
export function fixtureTest(
  name: string,
  fn: () => void | Promise<void>,
): void {
  if (present) {
    test(name, fn);
  } else if (process.env.REQUIRE_FIXTURES === '1') {
    test(name, () => {
      throw new Error(`shared fixtures not found at ${fixturesDir}`);
    });
  } else {
    test(name, { skip: `shared fixtures not found at ${fixturesDir}` }, fn);
  }
}

/** The bytes of one fixture file. */
export function fixtureBytes(file: string): Buffer {
  return readFileSync(path.join(fixturesDir, file));
}

/** One fixture file, parsed. */
export function fixtureJson(file: string): unknown {
  return JSON.parse(fixtureBytes(file).toString('utf8'));
}
