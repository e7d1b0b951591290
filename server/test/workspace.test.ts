/**
 * The `workspace` tool, operation by operation, through a real MCP client against the emulator
 * over PGlite (dry): two users, each in their own workspace.
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

beforeAll(async () => {
  stack = await openStack('dry')
  alice = await stack.signUp('alice')
  bob = await stack.signUp('bob')
  a = await stack.connect(alice)
  b = await stack.connect(bob)
})
afterAll(async () => {
  await a?.close()
  await b?.close()
  await stack?.close()
})

describe('workspace', () => {
  test('create_workspace makes the caller owner and derives a slug', async () => {
    const { item, role } = await ok(a, 'workspace', { operation: 'create_workspace', name: 'Acme Rockets', description: 'Rocket parts' })
    expect(role).toBe('owner')
    expect(item).toMatchObject({ name: 'Acme Rockets', slug: 'acme-rockets', type: 'team', created_by: alice.id, owner_id: alice.id })
    expect(await countRows(stack.db, 'organization_members', 'organization_id = $1 and user_id = $2 and role = $3', [item.id, alice.id, 'owner'])).toBe(1)
  })

  test('a taken derived slug gets a suffix; a taken explicit slug is CONFLICT', async () => {
    const first = await ok(a, 'workspace', { operation: 'create_workspace', name: 'Same Name' })
    const second = await ok(b, 'workspace', { operation: 'create_workspace', name: 'Same Name' })
    expect(second.item.slug).not.toBe(first.item.slug)
    expect(second.item.slug).toMatch(/^same-name-[0-9a-f]{6}$/)
    const clash = await fails(b, 'workspace', { operation: 'create_workspace', name: 'Other', slug: first.item.slug })
    expect(clash.code).toBe('CONFLICT')
  })

  test('list_workspaces shows only live memberships, with role, paged with total', async () => {
    const mine = await ok(a, 'workspace', { operation: 'list_workspaces', limit: 100 })
    // The personal workspace from sign-up plus the ones created above.
    expect(mine.total).toBeGreaterThanOrEqual(3)
    expect(mine.items.every((w: any) => w.role === 'owner')).toBe(true)
    const personal = mine.items.find((w: any) => w.type === 'personal')
    expect(personal).toBeDefined()
    const page = await ok(a, 'workspace', { operation: 'list_workspaces', limit: 1, offset: 1 })
    expect(page.items).toHaveLength(1)
    expect(page.total).toBe(mine.total)
    const theirs = await ok(b, 'workspace', { operation: 'list_workspaces' })
    const mineIds = new Set(mine.items.map((w: any) => w.id))
    expect(theirs.items.some((w: any) => mineIds.has(w.id))).toBe(false)
    const far = await ok(a, 'workspace', { operation: 'list_workspaces', offset: 5000 })
    expect(far).toMatchObject({ items: [], total: mine.total })
  })

  test('read_workspace: own → row + role; foreign or unknown → NOT_FOUND', async () => {
    const { item } = await ok(a, 'workspace', { operation: 'create_workspace', name: 'Readable' })
    const read = await ok(a, 'workspace', { operation: 'read_workspace', id: item.id })
    expect(read).toMatchObject({ item: { id: item.id, name: 'Readable' }, role: 'owner' })
    expect((await fails(b, 'workspace', { operation: 'read_workspace', id: item.id })).code).toBe('NOT_FOUND')
    expect((await fails(a, 'workspace', { operation: 'read_workspace', id: '00000000-0000-0000-0000-000000000000' })).code).toBe('NOT_FOUND')
  })

  test('update_workspace: patch, optimistic lock on version, foreign → NOT_FOUND and unchanged', async () => {
    const { item } = await ok(a, 'workspace', { operation: 'create_workspace', name: 'Before' })
    expect(item.version).toBe(1)
    const updated = await ok(a, 'workspace', { operation: 'update_workspace', id: item.id, patch: { name: 'After', metadata: { k: 1 } }, expected_version: item.version })
    expect(updated.item).toMatchObject({ name: 'After', metadata: { k: 1 }, updated_by: alice.id, version: item.version + 1 })

    const stale = await fails(a, 'workspace', { operation: 'update_workspace', id: item.id, patch: { name: 'Again' }, expected_version: item.version })
    expect(stale.code).toBe('CONFLICT')
    expect(stale.message).toContain(`version ${item.version + 1}, not ${item.version}`)
    expect(stale.details).toMatchObject({ current_version: item.version + 1, expected_version: item.version })
    expect((await ok(a, 'workspace', { operation: 'read_workspace', id: item.id })).item).toMatchObject({ name: 'After', metadata: { k: 1 }, version: item.version + 1 })

    const unguarded = await ok(a, 'workspace', { operation: 'update_workspace', id: item.id, patch: { description: 'no lock' } })
    expect(unguarded.item).toMatchObject({ description: 'no lock', version: item.version + 2 })

    // one lock, the version: expected_updated_at is no input of update_workspace, version no field of the patch
    expect((await fails(a, 'workspace', { operation: 'update_workspace', id: item.id, patch: { name: 'X' }, expected_updated_at: item.updated_at })).code).toBe('INVALID_INPUT')
    expect((await fails(a, 'workspace', { operation: 'update_workspace', id: item.id, patch: { version: 99 } })).code).toBe('INVALID_INPUT')
    expect((await fails(a, 'workspace', { operation: 'update_workspace', id: item.id, patch: { owner_id: bob.id } })).code).toBe('INVALID_INPUT')
    expect((await fails(b, 'workspace', { operation: 'update_workspace', id: item.id, patch: { name: 'Hijack' }, expected_version: item.version + 2 })).code).toBe('NOT_FOUND')
    expect(await countRows(stack.db, 'organizations', 'id = $1 and name = $2 and version = $3', [item.id, 'After', item.version + 2])).toBe(1)
  })

  test('update_workspace: membership changes keep the version a caller holds', async () => {
    const { item } = await ok(a, 'workspace', { operation: 'create_workspace', name: 'Growing' })
    await ok(a, 'relationship', { operation: 'create_relationship', kind: 'org_member', source_id: item.id, target_id: bob.id })
    const read = await ok(a, 'workspace', { operation: 'read_workspace', id: item.id })
    expect(read.item).toMatchObject({ member_count: 2, version: item.version })
    const updated = await ok(a, 'workspace', { operation: 'update_workspace', id: item.id, patch: { name: 'Grown' }, expected_version: item.version })
    expect(updated.item).toMatchObject({ name: 'Grown', member_count: 2, version: item.version + 1 })
  })

  test('a plain member may read but not update or delete (FORBIDDEN)', async () => {
    const { item } = await ok(a, 'workspace', { operation: 'create_workspace', name: 'Shared' })
    await ok(a, 'relationship', { operation: 'create_relationship', kind: 'org_member', source_id: item.id, target_id: bob.id })
    expect((await ok(b, 'workspace', { operation: 'read_workspace', id: item.id })).role).toBe('member')
    expect((await fails(b, 'workspace', { operation: 'update_workspace', id: item.id, patch: { name: 'Mine now' } })).code).toBe('FORBIDDEN')
    expect((await fails(b, 'workspace', { operation: 'delete_workspace', id: item.id })).code).toBe('FORBIDDEN')
  })

  test('list_projects and get_workspace_info count live rows', async () => {
    const { item: ws } = await ok(a, 'workspace', { operation: 'create_workspace', name: 'Counting' })
    const p1 = await ok(a, 'entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: ws.id, name: 'One' } })
    await ok(a, 'entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: ws.id, name: 'Two', status: 'draft' } })
    const doc = await ok(a, 'entity', { operation: 'create_entity', entity_type: 'document', data: { project_id: p1.item.id, name: 'Spec' } })
    await ok(a, 'entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: doc.item.id, name: 'R1' } })
    await ok(a, 'entity', { operation: 'create_entity', entity_type: 'test', data: { project_id: p1.item.id, title: 'T1' } })
    const all = await ok(a, 'workspace', { operation: 'list_projects', workspace_id: ws.id })
    expect(all.total).toBe(2)
    const drafts = await ok(a, 'workspace', { operation: 'list_projects', workspace_id: ws.id, status: 'draft' })
    expect(drafts.items.map((p: any) => p.name)).toEqual(['Two'])
    const info = await ok(a, 'workspace', { operation: 'get_workspace_info', id: ws.id })
    expect(info).toMatchObject({ role: 'owner', counts: { members: 1, projects: 2, documents: 1, requirements: 1, tests: 1 } })
    expect((await ok(b, 'workspace', { operation: 'list_projects', workspace_id: ws.id })).total).toBe(0)
    expect((await fails(b, 'workspace', { operation: 'get_workspace_info', id: ws.id })).code).toBe('NOT_FOUND')
  })

  test('delete_workspace: soft by owner; hard only when empty', async () => {
    const { item: empty } = await ok(a, 'workspace', { operation: 'create_workspace', name: 'Empty One' })
    const soft = await ok(a, 'workspace', { operation: 'delete_workspace', id: empty.id })
    expect(soft.item).toMatchObject({ is_deleted: true, deleted_by: alice.id })
    expect((await fails(a, 'workspace', { operation: 'read_workspace', id: empty.id })).code).toBe('NOT_FOUND')
    const hard = await ok(a, 'workspace', { operation: 'delete_workspace', id: empty.id, hard: true })
    expect(hard.hard).toBe(true)
    expect(await countRows(stack.db, 'organizations', 'id = $1', [empty.id])).toBe(0)

    const { item: full } = await ok(a, 'workspace', { operation: 'create_workspace', name: 'Full One' })
    await ok(a, 'entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: full.id, name: 'Keeps it' } })
    expect((await fails(a, 'workspace', { operation: 'delete_workspace', id: full.id, hard: true })).code).toBe('CONFLICT')
    expect((await fails(b, 'workspace', { operation: 'delete_workspace', id: full.id })).code).toBe('NOT_FOUND')
    expect(await countRows(stack.db, 'organizations', 'id = $1 and not is_deleted', [full.id])).toBe(1)
  })
})
