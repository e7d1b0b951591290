/**
 * The main-process half of a run: resolve the mode, start the database source once (cold
 * provider chain, dry PGlite dump) or check hot's variables, and describe it in one line.
 * The result is plain JSON that the global setup provides to every test worker.
 */
import type { Mode } from '../modes.ts'
import type { BackendInfo, IsolationKind } from './types.ts'
import type { ProviderName } from './providers/index.ts'
import { createTestDatabase } from '../db/index.ts'
import { guardProduction, newRunId, readHotConfig } from './hotConfig.ts'
import { coldProviders, pgliteProvider, selectProvider } from './providers/index.ts'

/** What a started run holds on to. */
export interface StartedBackendSource {
  info: BackendInfo
  /** Lines to print in the run's header (chosen provider, skipped ones). */
  notes: string[]
  stop(): Promise<void>
}

/** Options for one run. */
export interface StartOptions {
  mode: Mode
  env?: NodeJS.ProcessEnv
  runId?: string
  isolation?: IsolationKind
  provider?: ProviderName
  allowProduction?: boolean
  /** cold: all test files share one database instead of a clone each (needs a server provider). */
  sharedDatabase?: boolean
}

/** A shared database was asked for where the provider cannot share one. */
export class SharedDatabaseError extends Error {
  override name = 'SharedDatabaseError'
  readonly exitCode = 2
}

/** Starts what the run's mode needs. */
export async function startBackendSource(options: StartOptions): Promise<StartedBackendSource> {
  const env = options.env ?? process.env
  const runId = options.runId ?? newRunId()
  const { mode } = options
  if (mode === 'hot') {
    const hot = readHotConfig(env)
    guardProduction(hot, env, options.allowProduction ?? false)
    const description = `hot: live project "${hot.projectRef}" (run ${runId}; cleanup by harmful())`
    return { info: { mode, runId, isolation: 'cleanup', description, hot }, notes: [description], stop: async () => undefined }
  }
  const isolation = options.isolation ?? 'rollback'
  const notes: string[] = []
  let provider
  if (mode === 'dry') {
    provider = pgliteProvider()
  } else {
    const choice = await selectProvider(coldProviders(env), options.provider)
    for (const skipped of choice.skipped) notes.push(`cold: skipped ${skipped.name}: ${skipped.reason}`)
    provider = choice.provider
  }
  const source = await provider.start()
  let stop = () => source.stop()
  if (options.sharedDatabase) {
    if (source.info.kind !== 'server') {
      await source.stop()
      throw new SharedDatabaseError(`A shared database needs a Postgres server; provider "${source.info.provider}" is in-process. Use --provider=initdb or DATABASE_URL.`)
    }
    if (options.isolation !== 'cleanup') {
      await source.stop()
      throw new SharedDatabaseError('A shared database cannot be rolled back per test while other files use it; add --isolation=cleanup.')
    }
    const shared = await createTestDatabase({ url: source.info.adminUrl, template: source.info.template, prefix: 'atoms_shared' })
    source.info.sharedUrl = shared.url
    stop = async () => {
      await shared.drop()
      await source.stop()
    }
  }
  const where = options.sharedDatabase ? ', one database shared by every file' : ''
  const description = `${mode}: ${source.description}${where}${mode === 'dry' ? ' behind msw' : ' behind the emulator on loopback HTTP'}; isolation ${isolation}`
  notes.push(description)
  return { info: { mode, runId, isolation, description, source: source.info }, notes, stop }
}
