/**
 * The `entity` tool, operation by operation, against the emulator over PGlite (dry).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Stack, TestUser } from './test-utils.ts'

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { countRows, fails, ok, openStack } from './test-utils.ts'

let stack: Stack
let alice: TestUser
let bob: TestUser
let a: Client
let b: Client
let workspaceId: string
let projectId: string

const create = (client: Client, entity_type: string, data: Record<string, unknown>) =>
  ok(client, 'entity', { operation: 'create_entity', entity_type, data }).then((r) => r.item)

beforeAll(async () => {
  stack = await openStack('dry')
  alice = await stack.signUp('alice')
  bob = await stack.signUp('bob')
  a = await stack.connect(alice)
  b = await stack.connect(bob)
  workspaceId = (await ok(a, 'workspace', { operation: 'create_workspace', name: 'Entity Tests' })).item.id
  projectId = (await create(a, 'project', { organization_id: workspaceId, name: 'Main Project' })).id
})
afterAll(async () => {
  await a?.close()
  await b?.close()
  await stack?.close()
})

describe('create_entity', () => {
  test('every creatable type, with server-filled columns', async () => {
    const project = await create(a, 'project', { organization_id: workspaceId, name: 'Second Project!', tags: ['x'] })
    expect(project).toMatchObject({ slug: 'second-project', owned_by: alice.id, created_by: alice.id, version: 1, status: 'active', visibility: 'private' })
    expect(await countRows(stack.db, 'project_members', 'project_id = $1 and user_id = $2 and role = $3', [project.id, alice.id, 'owner'])).toBe(1)
    const doc = await create(a, 'document', { project_id: project.id, name: 'Design Doc' })
    expect(doc).toMatchObject({ slug: 'design-doc', version: 1 })
    const b1 = await create(a, 'block', { document_id: doc.id, type: 'text' })
    const b2 = await create(a, 'block', { document_id: doc.id, type: 'text', name: 'Intro' })
    expect([b1.position, b2.position]).toEqual([0, 1])
    const test1 = await create(a, 'test', { project_id: project.id, title: 'Login works', estimated_duration: '30 minutes', test_type: 'integration' })
    expect(test1).toMatchObject({ title: 'Login works', status: 'draft', test_type: 'integration' })
    const prop = await create(a, 'property', { org_id: workspaceId, name: 'Risk', property_type: 'select', options: { choices: ['low', 'high'] } })
    expect(prop).toMatchObject({ name: 'Risk', property_type: 'select' })
    const org = await create(a, 'organization', { name: 'Via Entity' })
    expect(org).toMatchObject({ owner_id: alice.id, type: 'team' })
  })

  test('requirements land in a default block created once per document', async () => {
    const doc = await create(a, 'document', { project_id: projectId, name: 'Reqs' })
    const r1 = await create(a, 'requirement', { document_id: doc.id, name: 'Shall start', priority: 'high' })
    const r2 = await create(a, 'requirement', { document_id: doc.id, name: 'Shall stop' })
    expect(r1.block_id).toBe(r2.block_id)
    expect(r1.properties).toMatchObject({ priority: 'high', status: 'active' })
    expect(await countRows(stack.db, 'blocks', 'document_id = $1', [doc.id])).toBe(1)
    const other = await create(a, 'document', { project_id: projectId, name: 'Other' })
    const wrong = await fails(a, 'entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: other.id, block_id: r1.block_id, name: 'X' } })
    expect(wrong.code).toBe('INVALID_INPUT')
  })

  test('bad data is INVALID_INPUT naming the field; profiles cannot be created', async () => {
    const missing = await fails(a, 'entity', { operation: 'create_entity', entity_type: 'project', data: { name: 'No Org' } })
    expect(missing.code).toBe('INVALID_INPUT')
    expect(missing.message).toContain('data.organization_id')
    const unknown = await fails(a, 'entity', { operation: 'create_entity', entity_type: 'test', data: { project_id: projectId, title: 'T', name: 'tests have no name' } })
    expect(unknown.message).toMatch(/name/)
    const badEnum = await fails(a, 'entity', { operation: 'create_entity', entity_type: 'test', data: { project_id: projectId, title: 'T', status: 'pending' } })
    expect(badEnum.code).toBe('INVALID_INPUT')
    const serverColumn = await fails(a, 'entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: workspaceId, name: 'PP', created_by: bob.id } })
    expect(serverColumn.code).toBe('INVALID_INPUT')
    expect((await fails(a, 'entity', { operation: 'create_entity', entity_type: 'profile', data: {} })).code).toBe('INVALID_INPUT')
  })

  test('creating under a foreign parent is refused and writes nothing', async () => {
    const before = await countRows(stack.db, 'projects')
    const refused = await fails(b, 'entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: workspaceId, name: 'Intruder' } })
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(refused.code)
    const doc = await create(a, 'document', { project_id: projectId, name: 'Private' })
    const req = await fails(b, 'entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: doc.id, name: 'Sneak' } })
    expect(req.code).toBe('NOT_FOUND')
    expect(await countRows(stack.db, 'projects')).toBe(before)
    expect(await countRows(stack.db, 'requirements', 'document_id = $1', [doc.id])).toBe(0)
  })
})

describe('read_entity', () => {
  test('with children and relations; foreign → NOT_FOUND', async () => {
    const doc = await create(a, 'document', { project_id: projectId, name: 'Readme' })
    const req = await create(a, 'requirement', { document_id: doc.id, name: 'Must read' })
    const read = await ok(a, 'entity', { operation: 'read_entity', entity_type: 'document', id: doc.id, include: ['children', 'relations'] })
    expect(read.item.id).toBe(doc.id)
    expect(read.item.fts_vector).toBeUndefined()
    expect(read.children.requirements.map((r: any) => r.id)).toEqual([req.id])
    expect(read.children.blocks).toHaveLength(1)
    expect(read.relations).toMatchObject({ trace_links: [], assignments: [] })
    const project = await ok(a, 'entity', { operation: 'read_entity', entity_type: 'project', id: projectId, include: ['relations'] })
    expect(project.relations.members.map((m: any) => m.user_id)).toContain(alice.id)
    expect((await fails(b, 'entity', { operation: 'read_entity', entity_type: 'document', id: doc.id })).code).toBe('NOT_FOUND')
    expect((await fails(a, 'entity', { operation: 'read_entity', entity_type: 'requirement', id: doc.id })).code).toBe('NOT_FOUND')
  })
})

describe('update_entity', () => {
  test('bumps the version; a stale expected_version is CONFLICT; foreign is NOT_FOUND', async () => {
    const doc = await create(a, 'document', { project_id: projectId, name: 'Versioned' })
    const v2 = await ok(a, 'entity', { operation: 'update_entity', entity_type: 'document', id: doc.id, data: { description: 'more' }, expected_version: 1 })
    expect(v2.item).toMatchObject({ version: 2, description: 'more', updated_by: alice.id })
    const stale = await fails(a, 'entity', { operation: 'update_entity', entity_type: 'document', id: doc.id, data: { description: 'lost' }, expected_version: 1 })
    expect(stale).toMatchObject({ code: 'CONFLICT', details: { current_version: 2 } })
    expect((await fails(b, 'entity', { operation: 'update_entity', entity_type: 'document', id: doc.id, data: { name: 'pwned' } })).code).toBe('NOT_FOUND')
    expect(await countRows(stack.db, 'documents', 'id = $1 and description = $2 and version = 2', [doc.id, 'more'])).toBe(1)
  })

  test('tests lock on updated_at; empty data and read-only fields are refused', async () => {
    const t = await create(a, 'test', { project_id: projectId, title: 'Lockable' })
    const changed = await ok(a, 'entity', { operation: 'update_entity', entity_type: 'test', id: t.id, data: { status: 'ready' }, expected_updated_at: t.updated_at })
    expect(changed.item.status).toBe('ready')
    expect((await fails(a, 'entity', { operation: 'update_entity', entity_type: 'test', id: t.id, data: { status: 'blocked' }, expected_updated_at: t.updated_at })).code).toBe('CONFLICT')
    expect((await fails(a, 'entity', { operation: 'update_entity', entity_type: 'test', id: t.id, data: {} })).code).toBe('INVALID_INPUT')
    expect((await fails(a, 'entity', { operation: 'update_entity', entity_type: 'test', id: t.id, data: { status: 'ready' }, expected_version: 1 })).code).toBe('INVALID_INPUT')
    expect((await fails(a, 'entity', { operation: 'update_entity', entity_type: 'project', id: projectId, data: { owned_by: bob.id } })).code).toBe('INVALID_INPUT')
  })

  test('profiles: own row only', async () => {
    const mine = await ok(a, 'entity', { operation: 'update_entity', entity_type: 'profile', id: alice.id, data: { full_name: 'Alice A.' } })
    expect(mine.item.full_name).toBe('Alice A.')
    expect((await fails(a, 'entity', { operation: 'update_entity', entity_type: 'profile', id: bob.id, data: { full_name: 'Not Bob' } })).code).toBe('FORBIDDEN')
  })
})

describe('delete_entity and list_entities', () => {
  test('soft delete hides, include_deleted shows, hard delete removes; referenced rows are CONFLICT', async () => {
    const doc = await create(a, 'document', { project_id: projectId, name: 'Doomed' })
    const req = await create(a, 'requirement', { document_id: doc.id, name: 'Child' })
    const soft = await ok(a, 'entity', { operation: 'delete_entity', entity_type: 'requirement', id: req.id })
    expect(soft).toMatchObject({ hard: false, item: { is_deleted: true, deleted_by: alice.id } })
    expect((await fails(a, 'entity', { operation: 'read_entity', entity_type: 'requirement', id: req.id })).code).toBe('NOT_FOUND')
    expect((await ok(a, 'entity', { operation: 'read_entity', entity_type: 'requirement', id: req.id, include_deleted: true })).item.id).toBe(req.id)
    const live = await ok(a, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: doc.id })
    expect(live.total).toBe(0)
    const all = await ok(a, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: doc.id, include_deleted: true })
    expect(all.total).toBe(1)
    expect((await fails(a, 'entity', { operation: 'delete_entity', entity_type: 'requirement', id: req.id })).code).toBe('NOT_FOUND')
    expect((await fails(a, 'entity', { operation: 'delete_entity', entity_type: 'document', id: doc.id, hard: true })).code).toBe('CONFLICT')
    expect((await fails(b, 'entity', { operation: 'delete_entity', entity_type: 'document', id: doc.id })).code).toBe('NOT_FOUND')
    await ok(a, 'entity', { operation: 'delete_entity', entity_type: 'requirement', id: req.id, hard: true })
    expect(await countRows(stack.db, 'requirements', 'id = $1', [req.id])).toBe(0)
  })

  test('filters, order, paging and total; unknown fields and operators are INVALID_INPUT', async () => {
    const doc = await create(a, 'document', { project_id: projectId, name: 'Listing' })
    for (const [name, priority] of [['A', 'low'], ['B', 'high'], ['C', 'critical'], ['D', 'high']] as const) {
      await create(a, 'requirement', { document_id: doc.id, name, priority })
    }
    const high = await ok(a, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: doc.id, filters: { priority: ['high', 'critical'] }, order_by: 'name:desc' })
    expect(high.items.map((r: any) => r.name)).toEqual(['D', 'C', 'B'])
    const page = await ok(a, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: doc.id, order_by: 'name', limit: 2, offset: 2 })
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 2 })
    expect(page.items.map((r: any) => r.name)).toEqual(['C', 'D'])
    const ilike = await ok(a, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: doc.id, filters: { name: { ilike: 'a%' } } })
    expect(ilike.items.map((r: any) => r.name)).toEqual(['A'])
    expect((await fails(a, 'entity', { operation: 'list_entities', entity_type: 'requirement', filters: { fts_vector: 'x' } })).code).toBe('INVALID_INPUT')
    expect((await fails(a, 'entity', { operation: 'list_entities', entity_type: 'requirement', filters: { priority: { gt: 'low' } } })).code).toBe('INVALID_INPUT')
    expect((await fails(a, 'entity', { operation: 'list_entities', entity_type: 'requirement', order_by: 'properties' })).code).toBe('INVALID_INPUT')
    expect((await fails(a, 'entity', { operation: 'list_entities', entity_type: 'profile', parent_id: doc.id })).code).toBe('INVALID_INPUT')
    expect((await ok(b, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: doc.id })).total).toBe(0)
  })
})

describe('search_entities', () => {
  test('ranks by ts_rank, respects scope and RLS', async () => {
    const doc = await create(a, 'document', { project_id: projectId, name: 'Telemetry' })
    const strong = await create(a, 'requirement', { document_id: doc.id, name: 'Telemetry uplink telemetry', description: 'telemetry' })
    const weak = await create(a, 'requirement', { document_id: doc.id, name: 'Power budget', description: 'mentions telemetry once' })
    const found = await ok(a, 'entity', { operation: 'search_entities', text: 'telemetry', entity_types: ['requirement'], project_id: projectId })
    const ids = found.hits.map((h: any) => h.id)
    expect(ids.indexOf(strong.id)).toBeLessThan(ids.indexOf(weak.id))
    expect(found.hits[0]).toMatchObject({ entity_type: 'requirement', workspace_id: workspaceId, project_id: projectId })
    const docs = await ok(a, 'entity', { operation: 'search_entities', text: 'telemetry', entity_types: ['document'] })
    expect(docs.hits.map((h: any) => h.id)).toEqual([doc.id])
    expect((await ok(b, 'entity', { operation: 'search_entities', text: 'telemetry' })).total).toBe(0)
    expect((await fails(a, 'entity', { operation: 'search_entities', text: '   ' })).code).toBe('INVALID_INPUT')
  })
})
