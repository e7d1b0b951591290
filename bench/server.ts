/**
 * The Atoms MCP server over Streamable HTTP versus supabase-js called directly.
 *
 * Cold mode: the machine's Postgres, `atoms-test emulator` and `atoms-mcp --transport http` each in
 * its own process, and a real SDK client. As in use, no client shares Supabase's process, so the
 * direct path crosses between processes just as the server's call does (with the emulator inside
 * the benchmark's process, the direct path alone skipped that). Two operations, 1,000 calls each:
 *   entity.read_entity      vs  supabase-js select by id (same columns, same soft-delete filter)
 *   query.query_entities    vs  supabase-js select with the same filters, order, range and count
 * and, for reference, an MCP `ping` (the transport's own cost: HTTP, bearer check, session, JSON-RPC),
 * and the two supabase-js calls again through `bench/bareProxy.ts`, a forwarder process that does
 * nothing but one `fetch` per request: the floor of any server in between on this machine. The
 * MCP path's ratio to the proxied path is what the server itself adds above that floor.
 * The paths take turns in rounds of 50 calls (read ×50, direct read ×50, query ×50, …, the order
 * rotating each round), so that drift on this shared machine hits every path alike while each path
 * still runs call after call, as a client would. `--order calls` alternates call by call instead;
 * then every call follows another path's, and the server's work after answering (logging, GC)
 * lands on the next call, which is often a direct one. The server's CPU time per MCP call (all its
 * threads, from /proc) is printed too: it moves less than latency.
 *
 * Target: p95 ≤ 10 ms through MCP, and MCP/direct ≤ 2× (the reference figure was p95 < 80 ms).
 * Run: npx tsx bench/server.ts [--calls N] [--order rounds|calls]
 */
import type { SpawnedHttpServer } from '../server/test/processes.ts'
import type { BareProxyProcess } from './processes.ts'
import type { SupabaseClient } from '@supabase/supabase-js'

import { loadavg } from 'node:os'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createClient } from '@supabase/supabase-js'
import { spawnHttpServer, stopProcess } from '../server/test/processes.ts'
import { cpuTicks, startBareProxy, startEmulator } from './processes.ts'
import { median, ms, percentile } from './stats.ts'

const args = process.argv.slice(2)
const CALLS = Number(args[args.indexOf('--calls') + 1]) || 1_000
const WARMUP = 100
const ORDER = args[args.indexOf('--order') + 1] === 'calls' ? 'calls' : 'rounds'
const ROUND = 50
const TARGET_P95_MS = 10
const TARGET_RATIO = 2
const REQUIREMENT_COLUMNS = 'id,document_id,block_id,name,description,external_id,format,type,level,status,priority,position,properties,tags,original_requirement,enchanced_requirement,ai_analysis,version,is_deleted,deleted_at,deleted_by,created_at,updated_at,created_by,updated_by'

type Path = 'mcp read_entity' | 'direct read' | 'proxied read' | 'mcp query_entities' | 'direct query' | 'proxied query' | 'mcp ping'

async function main(): Promise<void> {
  const served = await startEmulator()
  let server: SpawnedHttpServer | undefined
  let proxy: BareProxyProcess | undefined
  let client: Client | undefined
  try {
    const auth = createClient(served.url, served.anonKey, { auth: { persistSession: false, autoRefreshToken: false } })
    const email = `bench-${Date.now()}@example.com`
    const password = 'bench-password-123'
    const signedUp = await auth.auth.signUp({ email, password })
    if (signedUp.error || !signedUp.data.session) throw signedUp.error ?? new Error('sign-up gave no session')
    const token = signedUp.data.session.access_token
    server = await spawnHttpServer({
      PATH: process.env.PATH ?? '',
      SUPABASE_URL: served.url, SUPABASE_ANON_KEY: served.anonKey, SUPABASE_JWT_SECRET: served.jwtSecret, LOG_LEVEL: 'warn', ATOMS_LOG_LEVEL: 'warn',
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

    const direct: SupabaseClient = createClient(served.url, served.anonKey, { accessToken: async () => token })
    proxy = await startBareProxy(served.url)
    const proxied: SupabaseClient = createClient(proxy.url, served.anonKey, { accessToken: async () => token })
    let n = 0
    const nextId = () => ids[n++ % ids.length]!
    const read = async (db: SupabaseClient) => {
      const { data, error } = await db.from('requirements').select(REQUIREMENT_COLUMNS).eq('id', nextId()).not('is_deleted', 'is', true).maybeSingle()
      if (error || !data) throw error ?? new Error('row missing')
    }
    const query = async (db: SupabaseClient) => {
      const { data, error } = await db.from('requirements').select(REQUIREMENT_COLUMNS, { count: 'exact' })
        .not('is_deleted', 'is', true).eq('document_id', doc).in('priority', ['high', 'critical'])
        .order('name', { ascending: true }).order('id', { ascending: true }).range(0, 19)
      if (error || !data) throw error ?? new Error('no rows')
    }
    const run: Record<Path, () => Promise<unknown>> = {
      'mcp read_entity': () => mcp('entity', { operation: 'read_entity', entity_type: 'requirement', id: nextId() }),
      'direct read': () => read(direct),
      'proxied read': () => read(proxied),
      'mcp query_entities': () => mcp('query', {
        operation: 'query_entities', entity_type: 'requirement',
        where: [{ field: 'document_id', op: 'eq', value: doc }, { field: 'priority', op: 'in', value: ['high', 'critical'] }],
        order_by: 'name', limit: 20,
      }),
      'direct query': () => query(direct),
      'proxied query': () => query(proxied),
      // The transport's floor: HTTP, bearer check, session, JSON-RPC, no tool and no Supabase call.
      'mcp ping': () => client!.ping(),
    }
    const paths = Object.keys(run) as Path[]
    for (const path of paths) for (let i = 0; i < WARMUP; i++) await run[path]()
    const samples = Object.fromEntries(paths.map((p) => [p, [] as number[]])) as Record<Path, number[]>
    const cpuBefore = cpuTicks(server.child.pid)
    const timed = async (path: Path) => {
      const start = performance.now()
      await run[path]()
      samples[path].push(performance.now() - start)
    }
    if (ORDER === 'calls') {
      for (let i = 0; i < CALLS; i++) for (const path of paths) await timed(path)
    } else {
      for (let round = 0, done = 0; done < CALLS; round++, done += ROUND) {
        const turn = [...paths.slice(round % paths.length), ...paths.slice(0, round % paths.length)]
        for (const path of turn) for (let i = 0; i < Math.min(ROUND, CALLS - done); i++) await timed(path)
      }
    }
    const cpuAfter = cpuTicks(server.child.pid)

    console.log(`atoms-mcp over Streamable HTTP vs supabase-js direct — Postgres, emulator and server in their own processes, ${CALLS} calls per path (${ORDER === 'calls' ? 'alternating call by call' : `in rounds of ${ROUND}`}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
    console.log('path                  median ms   p95 ms')
    for (const path of paths) console.log(`${path.padEnd(20)}  ${ms(median(samples[path])).padStart(9)}  ${ms(percentile(samples[path], 95)).padStart(7)}`)
    const report: Record<string, unknown> = {}
    for (const [op, mcpPath, directPath, proxiedPath] of [
      ['read_entity', 'mcp read_entity', 'direct read', 'proxied read'],
      ['query_entities', 'mcp query_entities', 'direct query', 'proxied query'],
    ] as const) {
      const medianRatio = median(samples[mcpPath]) / median(samples[directPath])
      const p95Ratio = percentile(samples[mcpPath], 95) / percentile(samples[directPath], 95)
      const p95 = percentile(samples[mcpPath], 95)
      const floorRatio = median(samples[proxiedPath]) / median(samples[directPath])
      const aboveFloor = median(samples[mcpPath]) / median(samples[proxiedPath])
      console.log(`${op}: ratio median ${medianRatio.toFixed(2)}x, p95 ${p95Ratio.toFixed(2)}x (target ≤ ${TARGET_RATIO}x); MCP p95 ${ms(p95)} ms (target ≤ ${TARGET_P95_MS} ms) — ${p95Ratio <= TARGET_RATIO && p95 <= TARGET_P95_MS ? 'met' : 'NOT met'}`)
      console.log(`  floor: the bare proxy alone is ${floorRatio.toFixed(2)}x direct (median); MCP is ${aboveFloor.toFixed(2)}x the proxied call`)
      report[op] = {
        mcpMedianMs: median(samples[mcpPath]), mcpP95Ms: p95, directMedianMs: median(samples[directPath]), directP95Ms: percentile(samples[directPath], 95),
        proxiedMedianMs: median(samples[proxiedPath]), medianRatio, p95Ratio, floorRatio, aboveFloor,
      }
    }
    const ping = median(samples['mcp ping'])
    console.log(`an MCP ping costs ${ms(ping)} ms median, ${(ping / median(samples['direct read'])).toFixed(2)}x a direct read — the part of every MCP call that no tool can save`)
    report.pingMedianMs = ping
    if (cpuBefore !== null && cpuAfter !== null) {
      // CLK_TCK is 100 on Linux: a tick is 10 ms.
      const perCall = ((cpuAfter - cpuBefore) * 10) / (CALLS * paths.filter((p) => p.startsWith('mcp')).length)
      console.log(`server CPU: ${ms(perCall)} ms per MCP call (user + system, all threads, averaged over read, query and ping)`)
      report.serverCpuMsPerCall = perCall
    }
    console.log(JSON.stringify({ bench: 'server', calls: CALLS, order: ORDER, report }))
  } finally {
    await client?.close()
    await stopProcess(server?.child)
    await stopProcess(proxy?.child)
    await stopProcess(served.child)
  }
}

await main()
