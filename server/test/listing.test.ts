/**
 * What `tools/list` shows: five tools, 27 operations, flat object input schemas with every field
 * described, output schemas that also admit the error shape. No database needed.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { expect, test } from 'vitest'
import { createServer } from '../createServer.ts'

test('five tools, 27 operations, every field described', async () => {
  const server = createServer({ supabase: { url: 'http://127.0.0.1:9', anonKey: 'unused-anon-key' } })
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: 'listing', version: '1.0.0' })
  await client.connect(clientSide)
  const { tools } = await client.listTools()
  expect(tools.map((t) => t.name)).toEqual(['workspace', 'entity', 'relationship', 'workflow', 'query'])
  let operations = 0
  for (const tool of tools) {
    const input = tool.inputSchema as { type: string, properties: Record<string, { description?: string, enum?: string[] }>, required: string[], additionalProperties: boolean }
    expect(input).toMatchObject({ type: 'object', required: ['operation'], additionalProperties: false })
    operations += input.properties.operation!.enum!.length
    for (const [name, property] of Object.entries(input.properties)) expect(property.description, `${tool.name}.${name}`).toBeTruthy()
    const output = tool.outputSchema as { properties: Record<string, { description?: string }>, required?: string[] }
    for (const [name, property] of Object.entries(output.properties)) expect(property.description, `${tool.name} output ${name}`).toBeTruthy()
    expect(output.required ?? []).toEqual([])
    expect(tool.description).toContain('operation')
    expect(tool.title).toBeTruthy()
  }
  expect(operations).toBe(27)
  await client.close()
})
