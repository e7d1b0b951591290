/**
 * The bundled server as a child process, for tests, suites and benchmarks: `atoms-mcp --transport
 * http` on a free port (ready once it prints its address), and a stop that waits for the exit.
 */
import type { ChildProcess } from 'node:child_process'

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
export function spawnHttpServer(env: Record<string, string>, options: SpawnHttpOptions = {}): Promise<SpawnedHttpServer> {
  const timeoutMs = options.timeoutMs ?? 60_000
  const child = spawn(process.execPath, [SERVER_BIN, '--transport', 'http', '--port', '0', ...(options.flags ?? [])], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  return new Promise((resolve, reject) => {
    let err = ''
    const fail = (message: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new ServerStartError(`${message}: ${err.trim()}`))
    }
    const timer = setTimeout(() => fail(`atoms-mcp did not start within ${timeoutMs / 1000} s`), timeoutMs)
    child.once('exit', (code) => fail(`atoms-mcp exited with code ${code}`))
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk
      const match = /atoms-mcp listening on (\S+)/.exec(err)
      if (!match) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({ child, url: match[1]! })
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
