/**
 * End to end, cold mode: the real `atoms-mcp` process (spawned `server/bin.js`) over stdio and
 * over Streamable HTTP on a real port, in front of the emulator's loopback HTTP server on the
 * machine's Postgres. Two users in two workspaces each run all 27 operations; every
 * cross-tenant read comes back NOT_FOUND or empty and every cross-tenant write FORBIDDEN or
 * NOT_FOUND — with a fingerprint of every table proving the database did not change.
 */
import type { ChildProcess } from 'node:child_process'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { SpawnedHttpServer } from './processes.ts'
import type { Stack, TestUser } from './test-utils.ts'

import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SERVER_BIN, spawnHttpServer, stopProcess } from './processes.ts'
import { call, openStack } from './test-utils.ts'

const TABLES = ['profiles', 'organizations', 'organization_members', 'projects', 'project_members', 'documents', 'blocks', 'properties',
  'requirements', 'test_req', 'requirement_tests', 'trace_links', 'assignments', 'workflows', 'workflow_runs']

let stack: Stack
let alice: TestUser
let bob: TestUser
let httpServer: ChildProcess | undefined
let httpUrl: string
const clients: Client[] = []

function serverEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    SUPABASE_URL: stack.url,
    SUPABASE_ANON_KEY: stack.anonKey,
    SUPABASE_JWT_SECRET: stack.jwtSecret,
    LOG_LEVEL: 'warn',
    ATOMS_LOG_LEVEL: 'warn',
    // Every call comes from 127.0.0.1: lift the session layer's per-IP budgets (60 tool calls/min by default).
    ATOMS_SESSION_RATE_LIMITS_TOOL_LIMIT: '100000',
    ATOMS_SESSION_RATE_LIMITS_GENERAL_LIMIT: '100000',
    ...extra,
  }
}

/** Starts `atoms-mcp --transport http --port 0` with the stack's environment. */
function startHttpServer(flags: string[] = [], env: Record<string, string> = {}): Promise<SpawnedHttpServer> {
  return spawnHttpServer(serverEnv(env), { flags })
}

async function httpClient(user: TestUser): Promise<Client> {
  const client = new SdkClient({ name: `e2e-http-${user.email}`, version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(httpUrl), { requestInit: { headers: { authorization: `Bearer ${user.token}` } } }))
  clients.push(client)
  return client
}

async function stdioClient(user: TestUser): Promise<Client> {
  const client = new SdkClient({ name: `e2e-stdio-${user.email}`, version: '1.0.0' })
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER_BIN], env: serverEnv({ ATOMS_ACCESS_TOKEN: user.token }), stderr: 'pipe' }))
  clients.push(client)
  return client
}

/** One md5 over every row of every table: equal fingerprints mean nothing changed. */
async function fingerprint(): Promise<string> {
  const parts = TABLES.map((t) => `select '${t}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from public.${t} x`)
  const { rows } = await stack.db.query<{ t: string, h: string }>(parts.join(' union all '))
  return rows.map((r) => `${r.t}:${r.h}`).join(',')
}

/** Runs the whole operation set as `owner`, with `intruder` probing every step. */
async function scenario(owner: Client, ownerUser: TestUser, intruder: Client, intruderUser: TestUser, label: string): Promise<Set<string>> {
  const used = new Set<string>()
  // A word only this run's rows contain, so earlier runs' rows cannot match the searches.
  const keyword = `quasar${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`
  const ok = async (client: Client, tool: string, args: Record<string, unknown>) => {
    used.add(`${tool}.${String(args.operation)}`)
    const result = await call(client, tool, args)
    if (result.isError) throw new Error(`${label} ${tool}.${String(args.operation)} failed: ${JSON.stringify(result.structuredContent)}`)
    return result.structuredContent as Record<string, any>
  }
  const denied = async (tool: string, args: Record<string, unknown>, codes = ['NOT_FOUND', 'FORBIDDEN']) => {
    const before = await fingerprint()
    const result = await call(intruder, tool, args)
    const code = (result.structuredContent as any)?.error?.code
    expect(result.isError, `${label}: intruder ${tool}.${String(args.operation)} must fail`).toBe(true)
    expect(codes, `${label}: intruder ${tool}.${String(args.operation)} gave ${code}`).toContain(code)
    expect(await fingerprint(), `${label}: intruder ${tool}.${String(args.operation)} changed the database`).toBe(before)
  }
  const empty = async (tool: string, args: Record<string, unknown>, field = 'total') => {
    const result = await call(intruder, tool, args)
    expect(result.isError, `${label}: intruder ${tool}.${String(args.operation)}`).toBeFalsy()
    expect((result.structuredContent as any)[field], `${label}: intruder ${tool}.${String(args.operation)} saw rows`).toBe(0)
  }

  const ws = (await ok(owner, 'workspace', { operation: 'create_workspace', name: `E2E ${label}` })).item
  const listed = await ok(owner, 'workspace', { operation: 'list_workspaces', limit: 100 })
  expect(listed.items.map((w: any) => w.id)).toContain(ws.id)
  const theirs = await call(intruder, 'workspace', { operation: 'list_workspaces', limit: 100 })
  expect((theirs.structuredContent as any).items.map((w: any) => w.id)).not.toContain(ws.id)
  expect((await ok(owner, 'workspace', { operation: 'read_workspace', id: ws.id })).role).toBe('owner')
  await denied('workspace', { operation: 'read_workspace', id: ws.id })
  expect((await ok(owner, 'workspace', { operation: 'update_workspace', id: ws.id, patch: { description: 'owned' }, expected_version: ws.version })).item.version).toBe(ws.version + 1)
  await denied('workspace', { operation: 'update_workspace', id: ws.id, patch: { description: 'taken' } })

  const project = (await ok(owner, 'entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: ws.id, name: `Project ${label}` } })).item
  await denied('entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: ws.id, name: 'Planted' } })
  const doc = (await ok(owner, 'entity', { operation: 'create_entity', entity_type: 'document', data: { project_id: project.id, name: 'Flight rules' } })).item
  const req1 = (await ok(owner, 'entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: doc.id, name: 'Abort on overheat', description: `${keyword} abort`, priority: 'high' } })).item
  const req2 = (await ok(owner, 'entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: doc.id, name: 'Log telemetry', priority: 'low' } })).item
  const testRow = (await ok(owner, 'entity', { operation: 'create_entity', entity_type: 'test', data: { project_id: project.id, title: 'Overheat abort test' } })).item
  await denied('entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: doc.id, name: 'Planted' } })

  expect((await ok(owner, 'workspace', { operation: 'list_projects', workspace_id: ws.id })).total).toBe(1)
  await empty('workspace', { operation: 'list_projects', workspace_id: ws.id })
  expect((await ok(owner, 'workspace', { operation: 'get_workspace_info', id: ws.id })).counts).toMatchObject({ projects: 1, documents: 1, requirements: 2, tests: 1 })
  await denied('workspace', { operation: 'get_workspace_info', id: ws.id })

  expect((await ok(owner, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: doc.id })).total).toBe(2)
  await empty('entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: doc.id })
  await ok(owner, 'entity', { operation: 'read_entity', entity_type: 'document', id: doc.id, include: ['children'] })
  await denied('entity', { operation: 'read_entity', entity_type: 'document', id: doc.id })
  await ok(owner, 'entity', { operation: 'update_entity', entity_type: 'requirement', id: req2.id, data: { status: 'in_review' }, expected_version: 1 })
  await denied('entity', { operation: 'update_entity', entity_type: 'requirement', id: req2.id, data: { status: 'rejected' } })
  expect((await ok(owner, 'entity', { operation: 'search_entities', text: keyword, entity_types: ['requirement'] })).total).toBe(1)
  await empty('entity', { operation: 'search_entities', text: keyword })

  const coverage = (await ok(owner, 'relationship', { operation: 'create_relationship', kind: 'requirement_test', source_id: req1.id, target_id: testRow.id })).item
  const trace = (await ok(owner, 'relationship', { operation: 'create_relationship', kind: 'trace_link', source_id: req2.id, target_id: doc.id, attributes: { link_type: 'derives_from' } })).item
  await denied('relationship', { operation: 'create_relationship', kind: 'trace_link', source_id: req1.id, target_id: req2.id, attributes: { link_type: 'relates_to' } })
  await denied('relationship', { operation: 'create_relationship', kind: 'org_member', source_id: ws.id, target_id: intruderUser.id, attributes: { role: 'admin' } })
  expect((await ok(owner, 'relationship', { operation: 'list_relationships', entity_id: req1.id })).total).toBe(1)
  await empty('relationship', { operation: 'list_relationships', entity_id: req1.id })
  await ok(owner, 'relationship', { operation: 'update_relationship', kind: 'trace_link', id: trace.id, attributes: { description: 'checked' }, expected_version: 1 })
  await denied('relationship', { operation: 'update_relationship', kind: 'trace_link', id: trace.id, attributes: { description: 'forged' } })
  const graph = await ok(owner, 'relationship', { operation: 'get_relationship_graph', root_id: req1.id, root_type: 'requirement', depth: 1 })
  expect(graph.nodes.map((n: any) => n.id)).toContain(testRow.id)
  await denied('relationship', { operation: 'get_relationship_graph', root_id: req1.id, root_type: 'requirement' })

  const where = [{ field: 'document_id', op: 'eq', value: doc.id }]
  expect((await ok(owner, 'query', { operation: 'query_entities', entity_type: 'requirement', where })).total).toBe(2)
  await empty('query', { operation: 'query_entities', entity_type: 'requirement', where })
  expect((await ok(owner, 'query', { operation: 'advanced_search', text: keyword, entity_types: ['requirement', 'document'] })).total).toBe(1)
  await empty('query', { operation: 'advanced_search', text: keyword, entity_types: ['requirement'] })
  expect((await ok(owner, 'query', { operation: 'get_query_stats', workspace_id: ws.id })).coverage).toMatchObject({ requirements: 2, covered: 1 })
  await denied('query', { operation: 'get_query_stats', workspace_id: ws.id })
  expect((await ok(owner, 'query', { operation: 'export_results', entity_type: 'requirement', query: { where }, format: 'csv' })).count).toBe(2)
  await empty('query', { operation: 'export_results', entity_type: 'requirement', query: { where }, format: 'markdown' }, 'count')

  const workflow = (await ok(owner, 'workflow', { operation: 'create_workflow', workspace_id: ws.id, template: 'setup_project' })).item
  await denied('workflow', { operation: 'create_workflow', workspace_id: ws.id, template: 'setup_project' })
  expect((await ok(owner, 'workflow', { operation: 'list_workflows', workspace_id: ws.id })).total).toBe(1)
  await empty('workflow', { operation: 'list_workflows', workspace_id: ws.id })
  const runResult = await ok(owner, 'workflow', { operation: 'execute_workflow', workflow_id: workflow.id, inputs: { name: `Flowed ${label}`, initial_documents: ['Plan'] } })
  expect(runResult.status).toBe('succeeded')
  await denied('workflow', { operation: 'execute_workflow', workflow_id: workflow.id, inputs: { name: 'Hijacked run' } })
  expect((await ok(owner, 'workflow', { operation: 'get_workflow_status', run_id: runResult.run_id })).run.created_by).toBe(ownerUser.id)
  await denied('workflow', { operation: 'get_workflow_status', run_id: runResult.run_id })

  await denied('relationship', { operation: 'delete_relationship', kind: 'requirement_test', id: coverage.id })
  await ok(owner, 'relationship', { operation: 'delete_relationship', kind: 'trace_link', id: trace.id })
  await denied('workflow', { operation: 'delete_workflow', id: workflow.id })
  await ok(owner, 'workflow', { operation: 'delete_workflow', id: workflow.id })
  await denied('entity', { operation: 'delete_entity', entity_type: 'requirement', id: req2.id })
  await ok(owner, 'entity', { operation: 'delete_entity', entity_type: 'requirement', id: req2.id })
  await denied('workspace', { operation: 'delete_workspace', id: ws.id })
  await ok(owner, 'workspace', { operation: 'delete_workspace', id: ws.id })
  return used
}

beforeAll(async () => {
  stack = await openStack('cold')
  alice = await stack.signUp('alice')
  bob = await stack.signUp('bob')
  const started = await startHttpServer()
  httpServer = started.child
  httpUrl = started.url
}, 180_000)

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()))
  await stopProcess(httpServer)
  await stack?.close()
})

describe('e2e (cold: spawned atoms-mcp, emulator over loopback HTTP, Postgres)', () => {
  test('Streamable HTTP on a real port: both users, all 27 operations, no cross-tenant leak', async () => {
    const a = await httpClient(alice)
    const b = await httpClient(bob)
    expect((await a.listTools()).tools.map((t) => t.name)).toEqual(['workspace', 'entity', 'relationship', 'workflow', 'query'])
    const usedByAlice = await scenario(a, alice, b, bob, 'http alice')
    const usedByBob = await scenario(b, bob, a, alice, 'http bob')
    expect(usedByAlice.size).toBe(27)
    expect(usedByBob.size).toBe(27)
  }, 300_000)

  test('stdio (spawned process per user): both users, all 27 operations, no cross-tenant leak', async () => {
    const a = await stdioClient(alice)
    const b = await stdioClient(bob)
    const usedByAlice = await scenario(a, alice, b, bob, 'stdio alice')
    const usedByBob = await scenario(b, bob, a, alice, 'stdio bob')
    expect(usedByAlice.size).toBe(27)
    expect(usedByBob.size).toBe(27)
  }, 300_000)

  test('mount points: the session layer in front of /mcp (by default), observability routes beside it', async () => {
    const { child, url } = await startHttpServer([], { ATOMS_SESSION_STORE: 'memory' })
    try {
      const base = url.replace(/\/mcp$/, '')
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'workspace', arguments: { operation: 'list_workspaces' } } })
      // A bare Supabase token is verified and adopted as a session: it is listed among the user's sessions.
      expect((await fetch(url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${alice.token}` }, body })).status).toBe(200)
      const own = await fetch(`${base}/auth/sessions`, { headers: { authorization: `Bearer ${alice.token}` } })
      expect(((await own.json()) as { sessions: unknown[] }).sessions).toHaveLength(1)
      const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: alice.email, password: alice.password }) })
      expect(login.status).toBe(200)
      const grant = await login.json() as { access_token: string }
      const called = await fetch(url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${grant.access_token}` }, body })
      expect(called.status).toBe(200)
      expect(((await called.json()) as { result: { isError?: boolean } }).result.isError).toBeFalsy()
      expect((await fetch(`${base}/health/live`)).status).toBe(200)
      const metrics = await (await fetch(`${base}/metrics`)).text()
      expect(metrics).toMatch(/atoms_tool_calls_total\{tool="workspace",operation="list_workspaces",outcome="ok"\} 2/)
    } finally {
      await stopProcess(child)
    }
  }, 120_000)
})
