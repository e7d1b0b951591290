/**
 * Test modes (`hot`, `cold`, `dry`) and the guards tests use to declare which modes they need.
 *
 * The mode is chosen once per run: CLI flag > `ATOMS_TEST_MODE` > `dry`. The CLI puts the
 * resolved mode into `ATOMS_TEST_MODE`, which is how it reaches the test workers.
 */
import type { ModeGuardMeta } from './taskMeta.ts'
import { ModeError, ModeGuardError } from './errors.ts'

/** Every mode, fastest last. */
export const MODES = ['hot', 'cold', 'dry'] as const

/** `hot`: a live Supabase project; `cold`: emulator over real Postgres; `dry`: msw + PGlite, no network. */
export type Mode = (typeof MODES)[number]

/** The mode used when neither the flag nor the environment names one. */
export const DEFAULT_MODE: Mode = 'dry'

/** The environment variable that carries the mode into test workers. */
export const MODE_ENV = 'ATOMS_TEST_MODE'

type Env = Readonly<Record<string, string | undefined>>

/** Where `resolveMode` looks. */
export interface ResolveModeOptions {
  /** The value of `--mode`, if given; wins over the environment. */
  flag?: string | undefined
  /** Defaults to `process.env`. */
  env?: Env
}

/** True when `value` is one of `hot`, `cold`, `dry`. */
export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value)
}

function parse(value: string | undefined, source: string): Mode | undefined {
  if (value === undefined) return undefined
  const normalized = value.trim().toLowerCase()
  // An empty variable is how shells spell "unset"; treat it that way instead of failing.
  if (normalized === '') return undefined
  if (!isMode(normalized)) throw new ModeError(value, source)
  return normalized
}

/**
 * The mode of this run: `flag` > `ATOMS_TEST_MODE` > `dry`.
 * @throws ModeError when the flag or the variable holds anything else.
 */
export function resolveMode(options: ResolveModeOptions = {}): Mode {
  const env = options.env ?? process.env
  return parse(options.flag, '--mode') ?? parse(env[MODE_ENV], MODE_ENV) ?? DEFAULT_MODE
}

/** The mode of the running test worker (from `ATOMS_TEST_MODE`, else `dry`). */
export function currentMode(env: Env = process.env): Mode {
  return resolveMode({ env })
}

function checkModes(helper: string, modes: readonly string[]): Mode[] {
  if (modes.length === 0) throw new ModeGuardError(`${helper}() needs at least one mode; pass e.g. ['cold', 'hot'].`)
  const unknown = modes.filter((mode) => !isMode(mode))
  if (unknown.length > 0) {
    const names = unknown.map((mode) => `"${mode}"`).join(', ')
    throw new ModeGuardError(`${helper}() got unknown mode(s) ${names}; use "hot", "cold" or "dry".`)
  }
  return [...new Set(modes as Mode[])]
}

/** True when a test with this guard runs in `mode`. */
export function guardAllows(guard: ModeGuardMeta, mode: Mode): boolean {
  if (guard.only && !guard.only.includes(mode)) return false
  if (guard.except && guard.except.includes(mode)) return false
  return true
}

/** The skip note a guarded test shows in `mode`, or `undefined` when the guard lets it run. */
export function modeSkipNote(guard: ModeGuardMeta, mode: Mode): string | undefined {
  if (guardAllows(guard, mode)) return undefined
  const why = guard.reason ? `: ${guard.reason}` : ''
  if (guard.only && !guard.only.includes(mode)) return `requires mode ${guard.only.join('|')}; running ${mode}${why}`
  return `skipped in mode ${mode}${why}`
}

/** Test or suite options produced by a mode guard; spread them into your own options to combine. */
export interface ModeGuardOptions {
  skip: boolean
  meta: { modeGuard: ModeGuardMeta }
}

function guardOptions(guard: ModeGuardMeta): ModeGuardOptions {
  return { skip: !guardAllows(guard, currentMode()), meta: { modeGuard: guard } }
}

/**
 * Options that run a test (or `describe`) only in `modes`:
 * `test('uses RLS over HTTP', onlyIn(['cold', 'hot']), async () => { … })`.
 * Elsewhere it is skipped, and under the atoms-test runner the report says why
 * (`requires mode cold|hot; running dry`).
 * @throws ModeGuardError for an empty list or an unknown mode.
 */
export function onlyIn(modes: readonly Mode[], reason?: string): ModeGuardOptions {
  const only = checkModes('onlyIn', modes)
  return guardOptions(reason ? { only, reason } : { only })
}

/**
 * Options that skip a test (or `describe`) in `modes`:
 * `test('measures latency', skipIn(['dry'], 'no network in dry'), …)`.
 * @throws ModeGuardError for an empty list or an unknown mode.
 */
export function skipIn(modes: readonly Mode[], reason?: string): ModeGuardOptions {
  const except = checkModes('skipIn', modes)
  return guardOptions(reason ? { except, reason } : { except })
}

/** The part of Vitest's test context `requireMode` needs. */
export interface SkippableContext {
  skip: (note?: string) => never | void
}

/**
 * Skips the running test, with the reason in the report, unless the mode is one of `modes`.
 * For checks that can only be made inside the test body; prefer `onlyIn` where possible.
 */
export function requireMode(context: SkippableContext, modes: readonly Mode[], reason?: string): void {
  const only = checkModes('requireMode', modes)
  const note = modeSkipNote(reason ? { only, reason } : { only }, currentMode())
  if (note) context.skip(note)
}
