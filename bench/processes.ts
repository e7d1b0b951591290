/**
 * What a benchmark runs beside the bundled server (`server/test/processes.ts`): `atoms-test
 * emulator` as its own process (a Supabase project never shares a process with its clients), the
 * bare forwarding proxy that measures the floor of a process in between, and a process's CPU time.
 */
import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DEFAULT_DATABASE_URL } from '../harness/db/testDatabase.ts'
import { waitForOutput } from '../server/test/processes.ts'

const CLI_BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url))
const BARE_PROXY = fileURLToPath(new URL('./bareProxy.ts', import.meta.url))

/** What `atoms-test emulator` prints: the variables of the project it serves. */
export interface EmulatorProcess {
  child: ChildProcess
  url: string
  anonKey: string
  jwtSecret: string
}

/** `atoms-test emulator` over a new migrated database on the machine's Postgres (`DATABASE_URL`). */
export async function startEmulator(): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [CLI_BIN, 'emulator', '--provider', 'database-url'], {
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL || DEFAULT_DATABASE_URL },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const [url, anonKey, jwtSecret] = await waitForOutput(child, child.stdout!, /^SUPABASE_URL=(\S+)$[\s\S]*^SUPABASE_ANON_KEY=(\S+)$[\s\S]*^SUPABASE_JWT_SECRET=(\S+)$/m, { name: 'atoms-test emulator', timeoutMs: 60_000 })
  return { child, url: url!, anonKey: anonKey!, jwtSecret: jwtSecret! }
}

/** A running `bench/bareProxy.ts`. */
export interface BareProxyProcess {
  child: ChildProcess
  url: string
}

/** `bench/bareProxy.ts` forwarding to `target`: one process in between and nothing else. */
export async function startBareProxy(target: string): Promise<BareProxyProcess> {
  const child = spawn(process.execPath, [BARE_PROXY, target], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [url] = await waitForOutput(child, child.stdout!, /^bare proxy listening on (\S+)$/m, { name: 'bench/bareProxy.ts', timeoutMs: 60_000 })
  return { child, url: url! }
}

/** CPU ticks (user + system) a process has used, from /proc; null where there is no /proc. */
export function cpuTicks(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return null
  }
}
