/**
 * The bundled server as a child process, for tests, suites and benchmarks: `atoms-mcp --transport
 * http` on a free port (ready once it prints its address), a wait for a line of any child process
 * (with a timeout), and a stop that waits for the exit.
 */
import type { ChildProcess } from 'node:child_process'
import type { Readable } from 'node:stream'

import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** `server/bin.js`, run with this process's Node. */
export const SERVER_BIN = fileURLToPath(new URL('../bin.js', import.meta.url))

/** A running `atoms-mcp --transport http`. */
export interface SpawnedHttpServer {
  child: ChildProcess
  /** The endpoint it printed, `http://<host>:<port>/mcp`. */
  url: string
}

/** The server exited, or stayed silent, before it printed its address. */
export class ServerStartError extends Error {
  override name = 'ServerStartError'
  readonly code = 'SERVER_START'
}

/** Options of {@link spawnHttpServer}. */
export interface SpawnHttpOptions {
  /** Extra command-line flags. */
  flags?: string[]
  /** How long to wait for the address line (default 60 s); the process is killed after it. */
  timeoutMs?: number
}

/** Starts `atoms-mcp --transport http --port 0` with exactly `env` and waits for its address line. */
export async function spawnHttpServer(env: Record<string, string>, options: SpawnHttpOptions = {}): Promise<SpawnedHttpServer> {
  const child = spawn(process.execPath, [SERVER_BIN, '--transport', 'http', '--port', '0', ...(options.flags ?? [])], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  const [url] = await waitForOutput(child, child.stderr!, /atoms-mcp listening on (\S+)/, {
    name: 'atoms-mcp',
    timeoutMs: options.timeoutMs ?? 60_000,
    error: (message) => new ServerStartError(message),
  })
  return { child, url: url! }
}

/** Options of {@link waitForOutput}. */
export interface WaitForOutputOptions {
  /** The process's name in messages. */
  name: string
  /** How long to wait for the match; the process is killed after it. */
  timeoutMs: number
  /** The error to reject with (default `Error`). */
  error?: (message: string) => Error
}

/**
 * The groups of `pattern` once `stream` has printed a match. Rejects, with what the process
 * printed, when it exits first or stays silent past the timeout (then it is killed).
 */
export function waitForOutput(child: ChildProcess, stream: Readable, pattern: RegExp, options: WaitForOutputOptions): Promise<string[]> {
  const error = options.error ?? ((message: string) => new Error(message))
  return new Promise((resolve, reject) => {
    let seen = ''
    const fail = (message: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error(`${message}: ${seen.trim()}`))
    }
    const timer = setTimeout(() => fail(`${options.name} did not start within ${options.timeoutMs / 1000} s`), options.timeoutMs)
    const onExit = (code: number | null) => fail(`${options.name} exited with code ${code}`)
    child.once('exit', onExit)
    stream.on('data', (chunk: Buffer) => {
      seen += chunk
      const match = pattern.exec(seen)
      if (!match) return
      clearTimeout(timer)
      child.removeListener('exit', onExit)
      resolve(match.slice(1))
    })
  })
}

/** Stops a spawned process: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}
