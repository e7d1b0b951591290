/** `atoms-test sweep --run <id>`: removes what a crashed hot run left on the live project. */
import { createClient } from '@supabase/supabase-js'
import { guardProduction, readHotConfig } from '../harness/backends/hotConfig.ts'
import { sweepRun } from '../fixtures/sweep.ts'

/** A run id as `newRunId()` makes them; anything else could match other runs' rows. */
const RUN_ID = /^[a-z0-9]{6,40}$/

/** A run id that cannot be swept safely. */
export class RunIdError extends Error {
  override name = 'RunIdError'
  readonly exitCode = 2
}

/** Sweeps run `runId` on the project of `SUPABASE_URL`; resolves to the exit code. */
export async function runSweep(runId: string, options: { allowProduction?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  if (!RUN_ID.test(runId)) throw new RunIdError(`"${runId}" is not a run id (6-40 lowercase letters and digits, as printed by the run).`)
  const env = options.env ?? process.env
  const config = readHotConfig(env)
  guardProduction(config, env, options.allowProduction ?? false)
  const service = createClient(config.supabaseUrl, config.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } })
  const report = await sweepRun(service, runId)
  const total = Object.values(report).reduce((a, b) => a + b, 0)
  process.stdout.write(`atoms-test: swept run ${runId}: ${total} rows${total ? ` (${Object.entries(report).filter(([, n]) => n).map(([t, n]) => `${t} ${n}`).join(', ')})` : ''}\n`)
  return 0
}
