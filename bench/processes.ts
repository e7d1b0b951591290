/**
 * The programs a benchmark runs as their own processes, as they run in use: `atoms-mcp` and
 * `atoms-test emulator` (a Supabase project never shares a process with its clients).
 */
import type { ChildProcess } from 'node:child_process'
import type { Readable } from 'node:stream'

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DEFAULT_DATABASE_URL } from '../harness/db/testDatabase.ts'

const SERVER_BIN = fileURLToPath(new URL('../server/bin.js', import.meta.url))
const CLI_BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url))

/** `atoms-mcp --transport http` on a free port. */
export async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess, url: string }> {
  const child = spawn(process.execPath, [SERVER_BIN, '--transport', 'http', '--port', '0'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  const [url] = await waitFor(child, child.stderr!, /atoms-mcp listening on (\S+)/)
  return { child, url: url! }
}

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
  const [url, anonKey, jwtSecret] = await waitFor(child, child.stdout!, /^SUPABASE_URL=(\S+)$[\s\S]*^SUPABASE_ANON_KEY=(\S+)$[\s\S]*^SUPABASE_JWT_SECRET=(\S+)$/m)
  return { child, url: url!, anonKey: anonKey!, jwtSecret: jwtSecret! }
}

/** SIGTERM, then wait for the exit: a process left running would skew the next benchmark. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
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

/** The groups of `pattern` once `stream` has printed a match; rejects if the process exits first. */
function waitFor(child: ChildProcess, stream: Readable, pattern: RegExp): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let seen = ''
    stream.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const match = pattern.exec(seen)
      if (match) resolve(match.slice(1))
    })
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.slice(1).join(' ')} exited with ${code}: ${seen}`)))
  })
}
