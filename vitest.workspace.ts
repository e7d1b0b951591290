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

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      area('unit', ['{harness,server,cli,fixtures,supabase}/**/*.test.ts'], {
        exclude: ['**/test/**', '**/node_modules/**', '**/.tmp/**'],
      }),
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
      // The Supabase emulator through real supabase-js, over msw and loopback HTTP, on PGlite and Postgres.
      area('emulator', ['harness/emulator/test/**/*.test.ts']),
    ],
  },
})
