/**
 * The Vitest config of atoms-test: one project per area.
 * Vitest 5 no longer discovers workspace files by name, so every script passes
 * `--config vitest.workspace.ts`.
 */
import { defineConfig } from 'vitest/config'

/** Behaviour tests of one area live in `<area>/test/`; unit tests sit beside their sources. */
const area = (name: string, include: string[], extra: Record<string, unknown> = {}) => ({
  extends: true as const,
  test: { name, include, ...extra },
})

/**
 * A suite of the product: run by `atoms-test` in the chosen mode with the atoms-test runner
 * (harmful cleanup, cascade flows, isolation units) and the run's backend from the global setup.
 */
const suite = (name: string) =>
  area(name, [`suites/${name}/**/*.test.ts`], {
    runner: './harness/runner.ts',
    globalSetup: ['./harness/backends/globalSetup.ts'],
  })

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's report, then one plain `tests: N passed, N failed, N skipped` line.
    reporters: ['default', './harness/testing/TotalsReporter.ts'],
    // Cached PGlite dumps are made once here; every test file restores one instead of booting.
    globalSetup: ['./harness/testing/warmDumps.ts'],
    projects: [
      area('unit', ['{harness,server,cli,fixtures,supabase}/**/*.test.ts'], {
        // Areas with a project of their own keep their colocated tests there.
        exclude: ['**/test/**', '**/node_modules/**', '**/.tmp/**', 'server/**'],
      }),
      area('cli', ['cli/test/**/*.test.ts']),
      area('fixtures', ['fixtures/test/**/*.test.ts']),
      area('db', [
        'supabase/test/**/*.test.ts',
        'harness/db/test/**/*.test.ts',
        'harness/sql/test/**/*.test.ts',
        'harness/backends/test/**/*.test.ts',
      ]),
      area('observability', ['server/observability/**/*.test.ts']),
      // The harness core's behaviour tests: each runs Vitest programmatically on harness/test/fixtures/.
      area('harness', ['harness/test/**/*.test.ts']),
      // Sessions, tokens, revocation and rate limits; needs Redis at 127.0.0.1:6379 (or REDIS_URL).
      area('sessions', ['server/sessions/**/*.test.ts']),
      suite('examples'),
      // The product's suites: zod models vs the live catalog (drift report), and the migrations' round trip.
      suite('schema'),
      suite('migrations'),
      // Row-level security: the expectations matrix through supabase-js, coverage of pg_policies, policy cost.
      suite('rls'),
      // Every one of the 27 operations through the real MCP client, in cascade flows, as two users (RLS both ways).
      suite('e2e'),
      // The Supabase emulator through real supabase-js, over msw and loopback HTTP, on PGlite and Postgres.
      area('emulator', ['harness/emulator/test/**/*.test.ts']),
      // The PostgREST subset driven directly (restRoutes.resolve) on PGlite and Postgres, and through supabase-js.
      area('emulator-rest', ['harness/emulator/rest/test/**/*.test.ts']),
      // The Atoms MCP server: tools over the emulator (msw + PGlite), E2E over stdio and HTTP on Postgres, fuzz.
      area('server', ['server/**/*.test.ts'], {
        exclude: ['server/sessions/**', 'server/observability/**', '**/node_modules/**', '**/.tmp/**'],
      }),
    ],
  },
})
