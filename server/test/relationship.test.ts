/**
 * The `relationship` tool: the five link kinds, listing by direction, updates, soft and hard
 * deletes, and the graph, against the emulator over PGlite (dry).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Stack, TestUser } from './test-utils.ts'

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { countRows, fails, ok, openStack } from './test-utils.ts'

let stack: Stack
let alice: TestUser
let bob: TestUser
let carol: TestUser
let a: Client
let b: Client
let ws: string
let project: string
let doc: string
let req1: string
let req2: string
let testId: string

const create = (client: Client, entity_type: string, data: Record<string, unknown>) =>
  ok(client, 'entity', { operation: 'create_entity', entity_type, data }).then((r) => r.item.id as string)
const link = (client: Client, kind: string, source_id: string, target_id: string, attributes?: Record<string, unknown>) =>
  ok(client, 'relationship', { operation: 'create_relationship', kind, source_id, target_id, ...(attributes ? { attributes } : {}) }).then((r) => r.item)

beforeAll(async () => {
  stack = await openStack('dry')
  alice = await stack.signUp('alice')
  bob = await stack.signUp('bob')
  carol = await stack.signUp('carol')
  a = await stack.connect(alice)
  b = await stack.connect(bob)
  ws = (await ok(a, 'workspace', { operation: 'create_workspace', name: 'Links' })).item.id
  project = await create(a, 'project', { organization_id: ws, name: 'Linked' })
  doc = await create(a, 'document', { project_id: project, name: 'Spec' })
  req1 = await create(a, 'requirement', { document_id: doc, name: 'R1' })
  req2 = await create(a, 'requirement', { document_id: doc, name: 'R2' })
  testId = await create(a, 'test', { project_id: project, title: 'T1' })
})
afterAll(async () => {
  await a?.close()
  await b?.close()
  await stack?.close()
})

describe('create_relationship', () => {
  test('memberships: org_member then project_member (org filled in); removed members come back', async () => {
    const member = await link(a, 'org_member', ws, carol.id, { role: 'admin' })
    expect(member).toMatchObject({ organization_id: ws, user_id: carol.id, role: 'admin', status: 'active' })
    const pm = await link(a, 'project_member', project, carol.id, { role: 'editor' })
    expect(pm).toMatchObject({ project_id: project, user_id: carol.id, org_id: ws, role: 'editor' })
    await ok(a, 'relationship', { operation: 'delete_relationship', kind: 'org_member', id: member.id })
    const back = await link(a, 'org_member', ws, carol.id)
    expect(back).toMatchObject({ id: member.id, is_deleted: false, role: 'member' })
    expect((await fails(a, 'relationship', { operation: 'create_relationship', kind: 'org_member', source_id: ws, target_id: carol.id })).code).toBe('CONFLICT')
  })

  test('trace_link and assignment learn the polymorphic end types; requirement_test links coverage', async () => {
    const trace = await link(a, 'trace_link', req1, doc, { link_type: 'derives_from', description: 'from the spec' })
    expect(trace).toMatchObject({ source_type: 'requirement', target_type: 'document', link_type: 'derives_from', version: 1, created_by: alice.id })
    const assignment = await link(a, 'assignment', req2, alice.id, { role: 'reviewer' })
    expect(assignment).toMatchObject({ entity_type: 'requirement', assignee_id: alice.id, role: 'reviewer', status: 'active' })
    const coverage = await link(a, 'requirement_test', req1, testId, { execution_status: 'passed' })
    expect(coverage).toMatchObject({ requirement_id: req1, test_id: testId, execution_status: 'passed' })
    expect((await fails(a, 'relationship', { operation: 'create_relationship', kind: 'trace_link', source_id: req1, target_id: req2 })).code).toBe('INVALID_INPUT')
    expect((await fails(a, 'relationship', { operation: 'create_relationship', kind: 'requirement_test', source_id: testId, target_id: req1 })).code).toBe('NOT_FOUND')
  })

  test('cross-tenant links are refused and nothing is written', async () => {
    const before = await countRows(stack.db, 'trace_links')
    const foreignWs = (await ok(b, 'workspace', { operation: 'create_workspace', name: 'Bobs' })).item.id
    const foreignProject = await create(b, 'project', { organization_id: foreignWs, name: 'Bobs project' })
    const foreignDoc = await create(b, 'document', { project_id: foreignProject, name: 'Bobs doc' })
    expect((await fails(b, 'relationship', { operation: 'create_relationship', kind: 'trace_link', source_id: foreignDoc, target_id: req1, attributes: { link_type: 'relates_to' } })).code).toBe('NOT_FOUND')
    expect((await fails(b, 'relationship', { operation: 'create_relationship', kind: 'org_member', source_id: ws, target_id: bob.id })).code).toBe('NOT_FOUND')
    expect(await countRows(stack.db, 'trace_links')).toBe(before)
    expect(await countRows(stack.db, 'organization_members', 'organization_id = $1 and user_id = $2', [ws, bob.id])).toBe(0)
  })
})

describe('list, update, delete', () => {
  test('list_relationships by direction and kind', async () => {
    const out = await ok(a, 'relationship', { operation: 'list_relationships', entity_id: req1, direction: 'out' })
    expect(out.by_kind).toMatchObject({ trace_link: 1, requirement_test: 1 })
    expect(out.items.every((l: any) => l.direction === 'out')).toBe(true)
    const into = await ok(a, 'relationship', { operation: 'list_relationships', entity_id: doc, direction: 'in', kind: 'trace_link' })
    expect(into.items.map((l: any) => l.source_id)).toEqual([req1])
    const memberships = await ok(a, 'relationship', { operation: 'list_relationships', entity_id: carol.id, direction: 'in' })
    expect(memberships.by_kind).toMatchObject({ org_member: 1, project_member: 1 })
    expect((await ok(b, 'relationship', { operation: 'list_relationships', entity_id: req1 })).total).toBe(0)
  })

  test('update_relationship with optimistic lock; delete soft and hard', async () => {
    const trace = await link(a, 'trace_link', req2, req1, { link_type: 'relates_to' })
    const updated = await ok(a, 'relationship', { operation: 'update_relationship', kind: 'trace_link', id: trace.id, attributes: { link_type: 'implements' }, expected_version: 1 })
    expect(updated.item).toMatchObject({ link_type: 'implements', version: 2 })
    expect((await fails(a, 'relationship', { operation: 'update_relationship', kind: 'trace_link', id: trace.id, attributes: { link_type: 'child_of' }, expected_version: 1 })).code).toBe('CONFLICT')
    expect((await fails(a, 'relationship', { operation: 'update_relationship', kind: 'trace_link', id: trace.id, attributes: { source_id: req1 } })).code).toBe('INVALID_INPUT')
    expect((await fails(b, 'relationship', { operation: 'update_relationship', kind: 'trace_link', id: trace.id, attributes: { description: 'x' } })).code).toBe('NOT_FOUND')
    const soft = await ok(a, 'relationship', { operation: 'delete_relationship', kind: 'trace_link', id: trace.id })
    expect(soft).toMatchObject({ hard: false, item: { is_deleted: true } })
    expect(await countRows(stack.db, 'trace_links', 'id = $1', [trace.id])).toBe(1)
    const coverage = await link(a, 'requirement_test', req2, testId)
    const gone = await ok(a, 'relationship', { operation: 'delete_relationship', kind: 'requirement_test', id: coverage.id })
    expect(gone.hard).toBe(true)
    expect(await countRows(stack.db, 'requirement_tests', 'id = $1', [coverage.id])).toBe(0)
  })
})

describe('get_relationship_graph', () => {
  test('nodes and edges within depth, cycle-safe, invisible nodes dropped', async () => {
    await link(a, 'trace_link', req2, doc, { link_type: 'derives_from' })
    const graph = await ok(a, 'relationship', { operation: 'get_relationship_graph', root_id: req1, root_type: 'requirement', depth: 2 })
    const nodes = new Set(graph.nodes.map((n: any) => `${n.type}:${n.id}`))
    expect(nodes).toContain(`requirement:${req1}`)
    expect(nodes).toContain(`document:${doc}`)
    expect(nodes).toContain(`test:${testId}`)
    expect(nodes).toContain(`requirement:${req2}`)
    expect(graph.edges.length).toBeGreaterThanOrEqual(3)
    const shallow = await ok(a, 'relationship', { operation: 'get_relationship_graph', root_id: req1, root_type: 'requirement', depth: 0 })
    expect(shallow.nodes).toHaveLength(1)
    const onlyTests = await ok(a, 'relationship', { operation: 'get_relationship_graph', root_id: req1, root_type: 'requirement', kinds: ['requirement_test'] })
    expect(onlyTests.edges.every((e: any) => e.kind === 'requirement_test')).toBe(true)
    expect((await fails(b, 'relationship', { operation: 'get_relationship_graph', root_id: req1, root_type: 'requirement' })).code).toBe('NOT_FOUND')
    expect((await fails(a, 'relationship', { operation: 'get_relationship_graph', root_id: req1, root_type: 'requirement', depth: 6 })).code).toBe('INVALID_INPUT')
  })
})
