/**
 * The Atoms MCP server over Streamable HTTP versus supabase-js called directly.
 *
 * Cold mode: the machine's Postgres, the emulator on loopback HTTP, `atoms-mcp --transport http`
 * spawned as its own process, and a real SDK client. Two operations, 1,000 calls each per path:
 *   entity.read_entity      vs  supabase-js select by id (same columns, same soft-delete filter)
 *   query.query_entities    vs  supabase-js select with the same filters, order, range and count
 * and, for reference, an MCP `ping` (the transport's own cost: HTTP, bearer check, session, JSON-RPC).
 * Calls alternate the paths one by one (read, direct read, query, direct query, ping, read, …) so
 * that a noisy neighbour or a GC pause on this shared machine hits every path alike. The server's
 * CPU time per MCP call (all its threads, from /proc) is printed too: it moves less than latency.
 *
 * Target: p95 ≤ 10 ms through MCP, and MCP/direct ≤ 2× (the reference figure was p95 < 80 ms).
 * Run: npx tsx bench/server.ts [--calls N]
 */
import type { ChildProcess } from 'node:child_process'
import type { SupabaseClient } from '@supabase/supabase-js'

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createClient } from '@supabase/supabase-js'
import { createEmulator, serveEmulator } from '../harness/emulator/index.ts'
import { openEngine } from '../harness/testing/index.ts'
import { median, ms, percentile } from './stats.ts'

const args = process.argv.slice(2)
const CALLS = Number(args[args.indexOf('--calls') + 1]) || 1_000
const WARMUP = 100
const TARGET_P95_MS = 10
const TARGET_RATIO = 2
const BIN = fileURLToPath(new URL('../server/bin.js', import.meta.url))
const REQUIREMENT_COLUMNS = 'id,document_id,block_id,name,description,external_id,format,type,level,status,priority,position,properties,tags,original_requirement,enchanced_requirement,ai_analysis,version,is_deleted,deleted_at,deleted_by,created_at,updated_at,created_by,updated_by'

type Path = 'mcp read_entity' | 'direct read' | 'mcp query_entities' | 'direct query' | 'mcp ping'

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess, url: string }> {
  const child = spawn(process.execPath, [BIN, '--transport', 'http', '--port', '0'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const match = /atoms-mcp listening on (\S+)/.exec(seen)
      if (match) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`atoms-mcp exited with ${code}: ${seen}`)))
  })
  return { child, url }
}

/** CPU ticks (user + system) a process has used, from /proc; null where there is no /proc. */
function cpuTicks(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return null
  }
}

async function main(): Promise<void> {
  const { db, dispose } = await openEngine('postgres')
  const emulator = await createEmulator({ db })
  const served = await serveEmulator(emulator)
  let server: { child: ChildProcess, url: string } | undefined
  let client: Client | undefined
  try {
    const auth = createClient(served.url, emulator.anonKey, { auth: { persistSession: false, autoRefreshToken: false } })
    const email = `bench-${Date.now()}@example.com`
    const password = 'bench-password-123'
    const signedUp = await auth.auth.signUp({ email, password })
    if (signedUp.error || !signedUp.data.session) throw signedUp.error ?? new Error('sign-up gave no session')
    const token = signedUp.data.session.access_token
    server = await startServer({
      SUPABASE_URL: served.url, SUPABASE_ANON_KEY: emulator.anonKey, SUPABASE_JWT_SECRET: emulator.jwtSecret, LOG_LEVEL: 'warn', ATOMS_LOG_LEVEL: 'warn',
      // Thousands of calls a minute from one user: lift the session layer's budgets (60 tool calls/min by default).
      ATOMS_SESSION_RATE_LIMITS_TOOL_LIMIT: '1000000', ATOMS_SESSION_RATE_LIMITS_GENERAL_LIMIT: '1000000',
    })
    client = new Client({ name: 'bench', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))
    const mcp = async (tool: string, argsOf: Record<string, unknown>) => {
      const result = await client!.callTool({ name: tool, arguments: argsOf })
      if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result.structuredContent)}`)
      return result.structuredContent as Record<string, any>
    }

    // A workspace with one document of 50 requirements, made through the server itself.
    const ws = (await mcp('workspace', { operation: 'create_workspace', name: 'Bench' })).item.id
    const project = (await mcp('entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: ws, name: 'Bench project' } })).item.id
    const doc = (await mcp('entity', { operation: 'create_entity', entity_type: 'document', data: { project_id: project, name: 'Bench doc' } })).item.id
    const ids: string[] = []
    for (let i = 0; i < 50; i++) {
      const priority = ['low', 'medium', 'high', 'critical'][i % 4]
      ids.push((await mcp('entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: doc, name: `Requirement ${i}`, priority } })).item.id)
    }

    const direct: SupabaseClient = createClient(served.url, emulator.anonKey, { accessToken: async () => token })
    let n = 0
    const nextId = () => ids[n++ % ids.length]!
    const run: Record<Path, () => Promise<unknown>> = {
      'mcp read_entity': () => mcp('entity', { operation: 'read_entity', entity_type: 'requirement', id: nextId() }),
      'direct read': async () => {
        const { data, error } = await direct.from('requirements').select(REQUIREMENT_COLUMNS).eq('id', nextId()).not('is_deleted', 'is', true).maybeSingle()
        if (error || !data) throw error ?? new Error('row missing')
      },
      'mcp query_entities': () => mcp('query', {
        operation: 'query_entities', entity_type: 'requirement',
        where: [{ field: 'document_id', op: 'eq', value: doc }, { field: 'priority', op: 'in', value: ['high', 'critical'] }],
        order_by: 'name', limit: 20,
      }),
      'direct query': async () => {
        const { data, error } = await direct.from('requirements').select(REQUIREMENT_COLUMNS, { count: 'exact' })
          .not('is_deleted', 'is', true).eq('document_id', doc).in('priority', ['high', 'critical'])
          .order('name', { ascending: true }).order('id', { ascending: true }).range(0, 19)
        if (error || !data) throw error ?? new Error('no rows')
      },
      // The transport's floor: HTTP, bearer check, session, JSON-RPC, no tool and no Supabase call.
      'mcp ping': () => client!.ping(),
    }
    const paths = Object.keys(run) as Path[]
    for (const path of paths) for (let i = 0; i < WARMUP; i++) await run[path]()
    const samples = Object.fromEntries(paths.map((p) => [p, [] as number[]])) as Record<Path, number[]>
    const cpuBefore = cpuTicks(server.child.pid)
    for (let i = 0; i < CALLS; i++) {
      for (const path of paths) {
        const start = performance.now()
        await run[path]()
        samples[path].push(performance.now() - start)
      }
    }
    const cpuAfter = cpuTicks(server.child.pid)

    console.log(`atoms-mcp over Streamable HTTP vs supabase-js direct — Postgres, emulator on loopback, ${CALLS} calls per path, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
    console.log('path                  median ms   p95 ms')
    for (const path of paths) console.log(`${path.padEnd(20)}  ${ms(median(samples[path])).padStart(9)}  ${ms(percentile(samples[path], 95)).padStart(7)}`)
    const report: Record<string, unknown> = {}
    for (const [op, mcpPath, directPath] of [['read_entity', 'mcp read_entity', 'direct read'], ['query_entities', 'mcp query_entities', 'direct query']] as const) {
      const medianRatio = median(samples[mcpPath]) / median(samples[directPath])
      const p95Ratio = percentile(samples[mcpPath], 95) / percentile(samples[directPath], 95)
      const p95 = percentile(samples[mcpPath], 95)
      console.log(`${op}: ratio median ${medianRatio.toFixed(2)}x, p95 ${p95Ratio.toFixed(2)}x (target ≤ ${TARGET_RATIO}x); MCP p95 ${ms(p95)} ms (target ≤ ${TARGET_P95_MS} ms) — ${p95Ratio <= TARGET_RATIO && p95 <= TARGET_P95_MS ? 'met' : 'NOT met'}`)
      report[op] = { mcpMedianMs: median(samples[mcpPath]), mcpP95Ms: p95, directMedianMs: median(samples[directPath]), directP95Ms: percentile(samples[directPath], 95), medianRatio, p95Ratio }
    }
    const floor = median(samples['mcp ping'])
    console.log(`floor: an MCP ping costs ${ms(floor)} ms median, ${(floor / median(samples['direct read'])).toFixed(2)}x a direct read — the part of every MCP call that no tool can save`)
    report.pingMedianMs = floor
    if (cpuBefore !== null && cpuAfter !== null) {
      // CLK_TCK is 100 on Linux: a tick is 10 ms.
      const perCall = ((cpuAfter - cpuBefore) * 10) / (CALLS * paths.filter((p) => p.startsWith('mcp')).length)
      console.log(`server CPU: ${ms(perCall)} ms per MCP call (user + system, all threads, averaged over read, query and ping)`)
      report.serverCpuMsPerCall = perCall
    }
    console.log(JSON.stringify({ bench: 'server', calls: CALLS, report }))
  } finally {
    await client?.close()
    // SIGTERM, then wait: a server left running would skew the next benchmark.
    if (server && server.child.exitCode === null) {
      const exited = new Promise((resolve) => server!.child.once('exit', resolve))
      server.child.kill('SIGTERM')
      await exited
    }
    await served.close()
    await dispose()
  }
}

await main()
