/**
 * The wrapper under the real MCP SDK: a McpServer whose tool handler goes through
 * `obs.wrapTool`, reached by the SDK's Client over an in-memory transport pair. Checks that the
 * INTERNAL error result passes the client's output-schema validation and carries the id.
 */
import type { ToolCall } from '../../http/types.ts'

import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { createObservability } from '../index.ts'
import { captureLog, sample } from './test-utils.ts'

test('tool results and INTERNAL errors reach a real MCP client, counted and logged with one id', async () => {
  const log = captureLog()
  const obs = createObservability({ logger: { destination: log.stream }, metrics: { defaultMetrics: false } })
  const invoke = obs.wrapTool(async (call: ToolCall) => {
    if (call.args.id === 'boom') throw new Error('driver crashed')
    return { content: [{ type: 'text', text: JSON.stringify({ row: { id: call.args.id } }) }], structuredContent: { row: { id: call.args.id } } }
  })
  const server = new McpServer({ name: 'atoms-test-obs', version: '0.0.0' })
  server.registerTool('entity', {
    title: 'Entity',
    description: 'Entity operations',
    inputSchema: { operation: z.literal('read_entity').describe('Operation'), id: z.string().describe('Entity id') },
    outputSchema: {
      row: z.record(z.string(), z.unknown()).optional().describe('The row'),
      error: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional() }).optional().describe('Error body'),
    },
  }, ({ operation, id }) => invoke({ tool: 'entity', operation, args: { id } }, { requestId: '', ip: '' }))
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  const client = new Client({ name: 'probe', version: '0.0.0' })
  await Promise.all([server.connect(serverSide), client.connect(clientSide)])
  try {
    await client.listTools()
    const ok = await client.callTool({ name: 'entity', arguments: { operation: 'read_entity', id: 'e1' } })
    expect(ok.structuredContent).toEqual({ row: { id: 'e1' } })

    const failed = await client.callTool({ name: 'entity', arguments: { operation: 'read_entity', id: 'boom' } })
    expect(failed.isError).toBe(true)
    const error = (failed.structuredContent as { error: { code: string, requestId: string } }).error
    expect(error.code).toBe('INTERNAL')
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/)
    const logged = log.lines().find((l) => l.msg === 'tool call failed')
    expect(logged).toMatchObject({ requestId: error.requestId, tool: 'entity', operation: 'read_entity' })

    const text = await obs.metrics.render()
    expect(sample(text, 'atoms_tool_calls_total', { tool: 'entity', operation: 'read_entity', outcome: 'ok' })).toBe(1)
    expect(sample(text, 'atoms_tool_calls_total', { tool: 'entity', operation: 'read_entity', outcome: 'INTERNAL' })).toBe(1)
  } finally {
    await client.close()
    await server.close()
    await obs.close()
  }
})
