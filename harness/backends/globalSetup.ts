/**
 * Vitest global setup of every suite project: starts the run's database source once (shared by
 * all projects of the run, since they run in this one process), prints which backend and provider
 * the run uses, and provides the plain `BackendInfo` to the test workers.
 */
import type { TestProject } from 'vitest/node'
import type { BackendInfo, IsolationKind } from './types.ts'
import type { ProviderName } from './providers/index.ts'
import type { StartedBackendSource } from './startBackendSource.ts'
import { currentMode } from '../modes.ts'
import { startBackendSource } from './startBackendSource.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    atomsBackend: BackendInfo
  }
}

interface SharedRun {
  started: Promise<StartedBackendSource>
  users: number
}

const KEY = Symbol.for('atoms-test.run')
const registry = globalThis as unknown as { [KEY]?: SharedRun }

/** Starts (or joins) the run's source and provides it to `project`'s workers. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let run = registry[KEY]
  if (!run) {
    const env = process.env
    const isolation = env.ATOMS_ISOLATION === 'cleanup' ? 'cleanup' : env.ATOMS_ISOLATION === 'rollback' ? 'rollback' : undefined
    const started = startBackendSource({
      mode: currentMode(),
      env,
      runId: env.ATOMS_RUN_ID || undefined,
      isolation: isolation as IsolationKind | undefined,
      provider: (env.ATOMS_COLD_PROVIDER || undefined) as ProviderName | undefined,
      allowProduction: env.ATOMS_ALLOW_PRODUCTION === '1',
      sharedDatabase: env.ATOMS_DATABASE === 'shared',
    }).then((source) => {
      for (const note of source.notes) process.stdout.write(`atoms-test: ${note}\n`)
      return source
    })
    run = { started, users: 0 }
    registry[KEY] = run
  }
  run.users++
  const source = await run.started
  project.provide('atomsBackend', source.info)
  return async () => {
    if (--run.users > 0) return
    delete registry[KEY]
    await source.stop()
  }
}
