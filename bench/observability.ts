/**
 * Overhead of the observability wrapper on one tool call.
 *
 * The same in-process tool call (zod-validated input, structured result with a JSON text copy)
 * is run 5,000 times bare and 5,000 times through `obs.wrapTool`, interleaved pair by pair
 * (alternating which goes first), and the per-pair difference is reported.
 * The wrapper runs as in production: info-level pino line per call written asynchronously to a
 * file descriptor (/dev/null here instead of stderr), prom-client counter + histogram, dashboard
 * figures, a correlation scope opened per call (the stdio path), default process metrics on.
 *
 * Target: median and p95 of the difference <= 0.1 ms (seed figure: ~0.5 ms per request).
 * Run: npx tsx bench/observability.ts
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { RequestContext, ToolCall, ToolInvoker } from '../server/http/types.ts'

import { cpus } from 'node:os'
import { pino } from 'pino'
import { z } from 'zod'
import { createObservability } from '../server/observability/index.ts'
import { percentile } from './stats.ts'

const CALLS = 5_000
const WARMUP = 1_000
const TARGET_MS = 0.1

const input = z.object({
  operation: z.literal('read_entity'),
  entity_type: z.enum(['organization', 'project', 'document', 'requirement', 'test']),
  id: z.uuid(),
  include: z.array(z.enum(['children', 'relations'])).optional(),
})

// The tool body: validate, then shape a row into the result the server returns.
const tool: ToolInvoker = async (call: ToolCall): Promise<CallToolResult> => {
  const args = input.parse({ operation: call.operation, ...call.args })
  const row = { id: args.id, entity_type: args.entity_type, name: 'Requirement 12', status: 'active', version: 3, is_deleted: false, updated_at: '2030-01-01T00:00:00.000Z' }
  const structured = { row }
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured }
}

const obs = createObservability({
  version: 'bench',
  logger: { level: 'info', destination: pino.destination({ dest: '/dev/null', sync: false }) },
})
const wrapped = obs.wrapTool(tool)
const call: ToolCall = { tool: 'entity', operation: 'read_entity', args: { entity_type: 'requirement', id: '3f2b8f0e-8c1a-4b7e-9a51-2d4c6e8f0a13', include: ['children'] } }
const ctx = (): RequestContext => ({ requestId: '', ip: '127.0.0.1' })

async function time(invoker: ToolInvoker): Promise<number> {
  const started = performance.now()
  const result = await invoker(call, ctx())
  const ms = performance.now() - started
  if (result.isError) throw new Error('the benchmark call failed; fix the tool body before reading figures')
  return ms
}

for (let i = 0; i < WARMUP; i++) {
  await time(tool)
  await time(wrapped)
}

const bare: number[] = []
const observed: number[] = []
const diff: number[] = []
for (let i = 0; i < CALLS; i++) {
  let b: number
  let w: number
  if (i % 2 === 0) {
    b = await time(tool)
    w = await time(wrapped)
  } else {
    w = await time(wrapped)
    b = await time(tool)
  }
  bare.push(b)
  observed.push(w)
  diff.push(w - b)
}

const pct = percentile
const f = (ms: number): string => `${ms.toFixed(4)} ms`
const medianDiff = pct(diff, 50)
const p95Diff = pct(diff, 95)
const dashboard = await obs.dashboard()

console.log(`observability wrapper overhead — ${CALLS} calls each, Node ${process.version}, ${cpus().length} CPUs`)
console.log(`  bare tool call      median ${f(pct(bare, 50))}   p95 ${f(pct(bare, 95))}`)
console.log(`  wrapped tool call   median ${f(pct(observed, 50))}   p95 ${f(pct(observed, 95))}`)
console.log(`  difference          median ${f(medianDiff)}   p95 ${f(p95Diff)}`)
console.log(`  ratio (medians)     ${(pct(observed, 50) / pct(bare, 50)).toFixed(2)}x`)
console.log(`  target: median and p95 of the difference <= ${TARGET_MS} ms (seed ~0.5 ms) -> ${medianDiff <= TARGET_MS && p95Diff <= TARGET_MS ? 'met' : 'NOT met'}`)
console.log(`  check: dashboard counted ${dashboard.tools[0]?.calls ?? 0} wrapped calls in its window`)
await obs.close()
