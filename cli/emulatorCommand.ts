/**
 * `atoms-test emulator`: a local Supabase stack without Docker. Starts a migrated database from
 * the cold provider chain (or the named provider), serves the emulator on loopback HTTP, and
 * prints the variables any Supabase client or the Atoms MCP server needs.
 */
import type { ProviderName } from '../harness/backends/providers/index.ts'
import { openBackend } from '../harness/backends/openBackend.ts'
import { startBackendSource } from '../harness/backends/startBackendSource.ts'

/** Options of `atoms-test emulator`. */
export interface EmulatorCommandOptions {
  provider?: ProviderName
  port?: number
  /** Resolves when the emulator should stop (default: SIGINT or SIGTERM). */
  until?: Promise<unknown>
  /** Where the variables are printed (default stdout). */
  print?: (line: string) => void
}

/** Runs the emulator until `until` settles; resolves to the exit code. */
export async function runEmulator(options: EmulatorCommandOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  // Writes must persist while the stack runs, so no isolation unit is ever opened.
  const source = await startBackendSource({ mode: 'cold', provider: options.provider, isolation: 'cleanup' })
  try {
    const backend = await openBackend(source.info, { port: options.port })
    try {
      for (const note of source.notes) print(`# ${note}`)
      print(`SUPABASE_URL=${backend.supabaseUrl}`)
      print(`SUPABASE_ANON_KEY=${backend.anonKey}`)
      print(`SUPABASE_SERVICE_ROLE_KEY=${backend.serviceRoleKey}`)
      print(`SUPABASE_JWT_SECRET=${backend.jwtSecret}`)
      print('# Ctrl-C stops the emulator and removes its database.')
      await (options.until ?? untilSignal())
    } finally {
      await backend.close()
    }
  } finally {
    await source.stop()
  }
  return 0
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
