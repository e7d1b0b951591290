/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, fetched with
 * npx) against `atoms-mcp --transport http` in cold mode, for the server scenarios that apply to
 * a tools-only server. The conformance client sends no credentials, so a loopback proxy in
 * front of the server adds `Authorization: Bearer <a signed-up user's token>` and an
 * `x-device-id`, and forwards everything else untouched (Host and Origin included, so
 * DNS-rebinding checks still bite).
 *
 * Run: npx tsx server/test/conformance.ts [scenario ...]
 * Exit code: 0 when every selected scenario has no FAILURE check.
 */
import type { SpawnedHttpServer } from './processes.ts'
import type { AddressInfo } from 'node:net'

import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnHttpServer, stopProcess } from './processes.ts'
import { openStack } from './test-utils.ts'

/** Server scenarios of the suite that a tools-only server can pass (the rest need the suite's own test tools, prompts, resources, logging or completions). */
export const APPLICABLE = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'] as const

function startProxy(target: string, token: string, port: number): Promise<{ url: string, close(): void }> {
  const upstream = new URL(target)
  const server = createServer((incoming, outgoing) => {
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
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => {
    resolve({ url: `http://localhost:${(server.address() as AddressInfo).port}`, close: () => server.close() })
  }))
}

function runScenario(url: string, scenario: string, outputDir: string): Promise<{ scenario: string, checks: Array<{ id: string, status: string, errorMessage?: string }>, output: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['--yes', '@modelcontextprotocol/conformance', 'server', '--url', url, '--scenario', scenario, '--output-dir', outputDir], { env: process.env, timeout: 300_000 }, (_error, stdout, stderr) => {
      const dirs = readdirSync(outputDir).filter((d) => d.includes(scenario))
      const checks = dirs.flatMap((d) => {
        try {
          return JSON.parse(readFileSync(join(outputDir, d, 'checks.json'), 'utf8')) as Array<{ id: string, status: string, errorMessage?: string }>
        } catch {
          return []
        }
      })
      resolve({ scenario, checks, output: `${stdout}${stderr}` })
    })
  })
}

async function main(): Promise<number> {
  const scenarios = process.argv.slice(2).length ? process.argv.slice(2) : [...APPLICABLE]
  const stack = await openStack('cold')
  let server: SpawnedHttpServer | undefined
  let proxy: { url: string, close(): void } | undefined
  try {
    const user = await stack.signUp('conformance')
    // The proxy's own name must be an allowed Host: it is what the conformance client connects to.
    const proxyPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port
        probe.close(() => resolve(port))
      })
    })
    server = await spawnHttpServer({
      PATH: process.env.PATH ?? '',
      SUPABASE_URL: stack.url, SUPABASE_ANON_KEY: stack.anonKey, SUPABASE_JWT_SECRET: stack.jwtSecret, LOG_LEVEL: 'warn',
      ATOMS_MCP_ALLOWED_HOSTS: `localhost:${proxyPort},127.0.0.1:${proxyPort}`,
      ATOMS_MCP_ALLOWED_ORIGINS: `http://localhost:${proxyPort},http://127.0.0.1:${proxyPort}`,
    })
    proxy = await startProxy(server.url.replace(/\/mcp$/, ''), user.token, proxyPort)
    const proxyUrl = proxy.url
    if (!proxyUrl.endsWith(`:${proxyPort}`)) {
      // The probe port was taken meanwhile; the allowed hosts no longer name the proxy.
      throw new Error(`proxy came up on ${proxyUrl}, not port ${proxyPort}; run again`)
    }
    const outputDir = mkdtempSync(join(tmpdir(), 'atoms-conformance-'))
    let failed = 0
    for (const scenario of scenarios) {
      const result = await runScenario(`${proxyUrl}/mcp`, scenario, outputDir)
      const failures = result.checks.filter((c) => c.status === 'FAILURE')
      const counts = result.checks.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.status]: (acc[c.status] ?? 0) + 1 }), {})
      if (result.checks.length === 0 || failures.length > 0) failed++
      console.log(`${failures.length === 0 && result.checks.length > 0 ? 'PASS' : 'FAIL'} ${scenario} ${JSON.stringify(counts)}`)
      for (const f of failures) console.log(`  - ${f.id}: ${f.errorMessage ?? ''}`)
      if (result.checks.length === 0) console.log(result.output.slice(-2_000))
    }
    console.log(`results in ${outputDir}`)
    return failed === 0 ? 0 : 1
  } finally {
    proxy?.close()
    await stopProcess(server?.child)
    await stack.close()
  }
}

process.exitCode = await main()
