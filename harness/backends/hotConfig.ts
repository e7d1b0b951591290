/**
 * Hot mode's configuration: a live Supabase project from the environment, with the guard that
 * refuses a production target unless the run says `--allow-production`.
 */
import { randomBytes } from 'node:crypto'

/** What hot mode needs to reach a live project. */
export interface HotConfig {
  supabaseUrl: string
  anonKey: string
  serviceRoleKey: string
  /** Direct Postgres access, when the project gives it (schema checks use it). */
  dbUrl?: string
  /** The project ref (first label of `*.supabase.co`), or the host for other URLs. */
  projectRef: string
}

/** Variables hot mode cannot run without. */
export const REQUIRED_HOT_VARIABLES = ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY'] as const

/** Hot mode was asked for but variables are missing; the CLI exits 2. */
export class MissingHotVariablesError extends Error {
  override name = 'MissingHotVariablesError'
  readonly code = 'HOT_ENV_MISSING'
  readonly exitCode = 2
  readonly missing: string[]
  constructor(missing: string[]) {
    super(
      `Hot mode needs ${missing.map((m) => `"${m}"`).join(', ')}. Set them to the project's API URL and keys ` +
        '(Project Settings → API), or run --mode=cold.',
    )
    this.missing = missing
  }
}

/** The target looks like production and the run did not allow it. */
export class ProductionTargetError extends Error {
  override name = 'ProductionTargetError'
  readonly code = 'PRODUCTION_TARGET'
  readonly exitCode = 2
  constructor(ref: string, why: string) {
    super(`Refusing to run against "${ref}": ${why}. Pass --allow-production if this is really intended.`)
  }
}

/** The project ref of a Supabase URL: `https://abcd.supabase.co` → `abcd`; other hosts as they are. */
export function projectRefOf(url: string): string {
  const host = new URL(url).hostname
  return host.endsWith('.supabase.co') ? host.split('.')[0]! : host
}

/** Reads and checks the hot-mode variables; throws `MissingHotVariablesError` listing all that are missing. */
export function readHotConfig(env: NodeJS.ProcessEnv = process.env): HotConfig {
  const missing = REQUIRED_HOT_VARIABLES.filter((name) => !env[name])
  if (missing.length > 0) throw new MissingHotVariablesError(missing)
  const supabaseUrl = env.SUPABASE_URL!.replace(/\/+$/, '')
  let projectRef: string
  try {
    projectRef = projectRefOf(supabaseUrl)
  } catch {
    throw new MissingHotVariablesError(['SUPABASE_URL (not a URL)'])
  }
  const config: HotConfig = { supabaseUrl, anonKey: env.SUPABASE_ANON_KEY!, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY!, projectRef }
  if (env.SUPABASE_DB_URL) config.dbUrl = env.SUPABASE_DB_URL
  return config
}

/**
 * Refuses a production target: a ref listed in `ATOMS_PRODUCTION_REFS` (comma separated) or
 * `ATOMS_ENV=production`, unless `allowProduction`.
 */
export function guardProduction(config: HotConfig, env: NodeJS.ProcessEnv, allowProduction: boolean): void {
  if (allowProduction) return
  const refs = (env.ATOMS_PRODUCTION_REFS ?? '').split(',').map((r) => r.trim()).filter(Boolean)
  if (refs.includes(config.projectRef)) {
    throw new ProductionTargetError(config.projectRef, 'it is listed in ATOMS_PRODUCTION_REFS')
  }
  if ((env.ATOMS_ENV ?? '').toLowerCase() === 'production') {
    throw new ProductionTargetError(config.projectRef, 'ATOMS_ENV is "production"')
  }
}

/**
 * A per-run id: everything a hot run creates carries it (slug/name prefix `atst-<id>-`),
 * so `atoms-test sweep --run <id>` can delete what a crashed run left.
 */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
}

/** The prefix rows of run `runId` carry in their slug or name. */
export function runPrefix(runId: string): string {
  return `atst-${runId}-`
}
