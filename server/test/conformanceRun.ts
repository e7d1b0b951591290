/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, a devDependency)
 * against `atoms-mcp --transport http` in cold mode, for the server scenarios that apply to a
 * tools-only server. The conformance client sends no credentials, so a loopback proxy in front of
 * the server adds `Authorization: Bearer <a signed-up user's token>` and an `x-device-id`, and
 * forwards everything else untouched (Host and Origin included, so DNS-rebinding checks still bite).
 * Used by `conformance.test.ts` (in `npm test`) and the `conformance.ts` script.
 */
import type { SpawnedHttpServer } from './processes.ts'
import type { AddressInfo } from 'node:net'

import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnHttpServer, stopProcess } from './processes.ts'
import { openStack } from './test-utils.ts'

/** Server scenarios of the suite that a tools-only server can pass (the rest need the suite's own test tools, prompts, resources, logging or completions). */
export const APPLICABLE = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'] as const

/** The loopback proxy the conformance client talks to; it forwards to `target` once that is set. */
interface CredentialProxy {
  url: string
  port: number
  target: URL | null
  close(): void
}

// Listens first (on a free port), so the server can be started with the proxy's own name as an
// allowed Host, and learns where to forward once the server is up.
function startProxy(token: string): Promise<CredentialProxy> {
  const proxy = { target: null } as CredentialProxy
  const server = createServer((incoming, outgoing) => {
    const upstream = proxy.target
    if (!upstream) return void outgoing.writeHead(503).end()
    const forwarded = request({
      host: upstream.hostname,
      port: upstream.port,
      method: incoming.method,
      path: incoming.url,
      // One client to the server: the user's token and one device id (the scenarios' own clients
      // differ in the headers the device fingerprint is made of: the token would seem to move device).
      headers: { ...incoming.headers, authorization: `Bearer ${token}`, 'x-device-id': 'atoms-conformance-proxy' },
    }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    })
    forwarded.on('error', () => { outgoing.writeHead(502).end() })
    incoming.pipe(forwarded)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      proxy.port = (server.address() as AddressInfo).port
      proxy.url = `http://localhost:${proxy.port}`
      proxy.close = () => server.close()
      resolve(proxy)
    })
  })
}

/** One check of a scenario, as the suite writes it to `checks.json`. */
export interface ConformanceCheck {
  id: string
  status: string
  errorMessage?: string
}

/** What one scenario gave: its checks (none when the suite could not run it) and the suite's output. */
export interface ScenarioResult {
  scenario: string
  checks: ConformanceCheck[]
  output: string
}

/** True when a scenario ran and no check failed. */
export const passed = (result: ScenarioResult): boolean => result.checks.length > 0 && !result.checks.some((c) => c.status === 'FAILURE')

// The suite's command-line entry, run with this process's Node.
const CONFORMANCE_BIN = fileURLToPath(import.meta.resolve('@modelcontextprotocol/conformance/dist/index.js'))

function runScenario(url: string, scenario: string, outputDir: string): Promise<ScenarioResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CONFORMANCE_BIN, 'server', '--url', url, '--scenario', scenario, '--output-dir', outputDir], { env: process.env, timeout: 300_000 }, (_error, stdout, stderr) => {
      const dirs = readdirSync(outputDir).filter((d) => d.includes(scenario))
      const checks = dirs.flatMap((d) => {
        try {
          return JSON.parse(readFileSync(join(outputDir, d, 'checks.json'), 'utf8')) as ConformanceCheck[]
        } catch {
          return []
        }
      })
      resolve({ scenario, checks, output: `${stdout}${stderr}` })
    })
  })
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Where the suite writes its files (default: a new temporary directory). */
  outputDir?: string
  /** Extra variables for the server (a test turns a protection off to see the suite catch it). */
  serverEnv?: Record<string, string>
}

/** Runs `scenarios` against a fresh cold stack and server. */
export async function runConformance(scenarios: readonly string[] = APPLICABLE, options: ConformanceOptions = {}): Promise<ScenarioResult[]> {
  const outputDir = options.outputDir ?? mkdtempSync(join(tmpdir(), 'atoms-conformance-'))
  const stack = await openStack('cold')
  let server: SpawnedHttpServer | undefined
  let proxy: CredentialProxy | undefined
  try {
    const user = await stack.signUp('conformance')
    proxy = await startProxy(user.token)
    // The proxy's own name must be an allowed Host: it is what the conformance client connects to.
    server = await spawnHttpServer({
      PATH: process.env.PATH ?? '',
      SUPABASE_URL: stack.url, SUPABASE_ANON_KEY: stack.anonKey, SUPABASE_JWT_SECRET: stack.jwtSecret, LOG_LEVEL: 'warn',
      ATOMS_MCP_ALLOWED_HOSTS: `localhost:${proxy.port},127.0.0.1:${proxy.port}`,
      ATOMS_MCP_ALLOWED_ORIGINS: `http://localhost:${proxy.port},http://127.0.0.1:${proxy.port}`,
      ...options.serverEnv,
    })
    proxy.target = new URL(server.url)
    const results: ScenarioResult[] = []
    for (const scenario of scenarios) results.push(await runScenario(`${proxy.url}/mcp`, scenario, outputDir))
    return results
  } finally {
    proxy?.close()
    await stopProcess(server?.child)
    await stack.close()
  }
}

