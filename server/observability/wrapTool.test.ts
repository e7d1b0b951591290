import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { RequestContext, ToolInvoker } from '../http/types.ts'

import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, test } from 'vitest'
import { correlationFetch, currentRequestId, runWithRequestId } from './correlation.ts'
import { createLogger } from './logger.ts'
import { createMetrics } from './metrics.ts'
import { RollingStats } from './RollingStats.ts'
import { captureLog, sample } from './test/test-utils.ts'
import { withObservability } from './wrapTool.ts'

function setup(invoker: ToolInvoker) {
  const log = captureLog()
  const obs = { logger: createLogger({ destination: log.stream }), metrics: createMetrics({ defaultMetrics: false }), stats: new RollingStats() }
  return { log, obs, wrapped: withObservability(invoker, obs) }
}

const ctx = (requestId = 'req-1'): RequestContext => ({ requestId, ip: '127.0.0.1' })
const ok = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: { value } as Record<string, unknown> })

describe('withObservability', () => {
  test('passes a successful result through and records it', async () => {
    const { log, obs, wrapped } = setup(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return ok(call.args)
    })
    const result = await wrapped({ tool: 'entity', operation: 'read_entity', args: { id: 'e1' } }, ctx())
    expect(result).toEqual(ok({ id: 'e1' }))
    const text = await obs.metrics.render()
    expect(sample(text, 'atoms_tool_calls_total', { tool: 'entity', operation: 'read_entity', outcome: 'ok' })).toBe(1)
    expect(sample(text, 'atoms_tool_call_duration_seconds_sum', { tool: 'entity' })).toBeGreaterThanOrEqual(0.004)
    const [line] = log.lines()
    expect(line).toMatchObject({ level: 'info', msg: 'tool call', tool: 'entity', operation: 'read_entity', outcome: 'ok', requestId: 'req-1' })
    expect(line!.ms).toBeGreaterThanOrEqual(4)
    expect(JSON.stringify(line)).not.toContain('e1')
    expect(obs.stats.snapshot().tools[0]).toMatchObject({ tool: 'entity', calls: 1, errors: 0 })
  })

  test('counts a tool error result under its code and keeps it for the dashboard', async () => {
    const denied: CallToolResult = {
      isError: true,
      content: [{ type: 'text', text: 'denied' }],
      structuredContent: { error: { code: 'FORBIDDEN', message: 'row-level security denied "documents"' } },
    }
    const { log, obs, wrapped } = setup(async () => denied)
    expect(await wrapped({ tool: 'entity', operation: 'update_entity', args: {} }, ctx('req-2'))).toBe(denied)
    expect(sample(await obs.metrics.render(), 'atoms_tool_calls_total', { outcome: 'FORBIDDEN' })).toBe(1)
    expect(log.lines()[0]).toMatchObject({ level: 'warn', outcome: 'FORBIDDEN', requestId: 'req-2' })
    expect(obs.stats.snapshot().recentErrors[0]).toMatchObject({ requestId: 'req-2', code: 'FORBIDDEN', where: 'entity.update_entity', message: 'row-level security denied "documents"' })
  })

  test('a thrown error becomes an INTERNAL tool error naming the request id; the stack is logged, not returned', async () => {
    const { log, obs, wrapped } = setup(async () => {
      throw new Error('pool exhausted at postgres://svc:db-pass-1@10.0.0.1/app')
    })
    const result = await wrapped({ tool: 'query', operation: 'export_results', args: {} }, ctx('req-3'))
    expect(result.isError).toBe(true)
    expect(result.structuredContent).toEqual({
      error: { code: 'INTERNAL', message: 'Internal error; quote request id "req-3" when reporting it', requestId: 'req-3' },
    })
    expect(JSON.stringify(result)).not.toMatch(/pool exhausted|postgres/)
    expect(sample(await obs.metrics.render(), 'atoms_tool_calls_total', { tool: 'query', outcome: 'INTERNAL' })).toBe(1)
    const [line] = log.lines()
    expect(line).toMatchObject({ level: 'error', msg: 'tool call failed', requestId: 'req-3' })
    expect(line!.err.stack).toContain('pool exhausted')
    expect(log.text()).not.toContain('db-pass-1')
  })

  test('a protocol error (McpError) is counted and rethrown unchanged', async () => {
    const refused = new McpError(ErrorCode.InvalidParams, 'operation "nope" is not one of the tool\'s operations')
    const { obs, wrapped } = setup(async () => {
      throw refused
    })
    await expect(wrapped({ tool: 'entity', operation: 'nope', args: {} }, ctx())).rejects.toBe(refused)
    expect(sample(await obs.metrics.render(), 'atoms_tool_calls_total', { outcome: 'PROTOCOL_ERROR' })).toBe(1)
  })

  test('a call without a correlation scope (stdio) gets one, visible to Supabase requests it makes', async () => {
    const outgoing: Array<string | null> = []
    const fetchLike = correlationFetch((async (input: RequestInfo | URL, init?: RequestInit) => {
      outgoing.push(new Headers(init?.headers).get('x-request-id'))
      return new Response('[]')
    }) as typeof fetch)
    const seen: Array<string | undefined> = []
    const { wrapped } = setup(async (_call, c) => {
      seen.push(c.requestId, currentRequestId())
      await fetchLike('http://db.test/rest/v1/x')
      return ok(null)
    })
    await wrapped({ tool: 'workspace', operation: 'list_workspaces', args: {} }, { requestId: '', ip: '' })
    expect(seen[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen[1]).toBe(seen[0])
    expect(outgoing).toEqual([seen[0]])
  })

  test('inside an existing scope the scope is reused', async () => {
    const { wrapped } = setup(async (_c, c) => ok(c.requestId === currentRequestId()))
    const result = await runWithRequestId('outer', () => wrapped({ tool: 't', operation: 'o', args: {} }, ctx('outer')))
    expect(result.structuredContent).toEqual({ value: true })
  })
})
