/**
 * Once per test run, before any worker: says so when the PostgreSQL suites will be skipped, in one
 * line rather than once per file.
 */
export function setup(): void {
  if (!process.env.TEST_DATABASE_URL) {
    console.info(
      'PostgreSQL suites skipped: set TEST_DATABASE_URL=postgres://… to run them (bash scripts/test-postgres.sh starts a throwaway server; .ci/run does in CI).',
    );
  }
}
