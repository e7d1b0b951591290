/**
 * CRUD lifecycle over MCP: the workspace operations and the entity operations on a project,
 * create → read → list → update → delete → verify, with the intruder probing every step.
 */
import type { SuiteFixtures } from '../../../fixtures/index.ts'
import type { Content } from './Actor.ts'
import type { Pair } from './sides.ts'
import type { FlowSetup } from './setup.ts'
import { crudSteps, expect } from '../../../fixtures/index.ts'
import { runSlug } from './names.ts'
import { expectNotFound, expectNothing, expectRefused } from './rls.ts'
import { resume, startFlow, trackRow } from './setup.ts'

/** What the create step hands to the others. */
export interface CrudState {
  pair: Pair
  ws: Content
  project: Content
}

const ids = (items: Content[]) => items.map((item) => item.id)

/** The CRUD flow's steps for one transport. */
export function crudFlowSteps(setup: FlowSetup) {
  return crudSteps<SuiteFixtures, CrudState>({
    create: async ({ backend, user, mcp, service, harmful }) => {
      const { pair, owner, intruder } = await startFlow({ backend, user, mcp }, setup)
      const slug = runSlug(backend.runId, 'crud')
      const made = await owner.ok('workspace', { operation: 'create_workspace', name: 'Owner CRUD', slug, description: 'made over MCP' })
      trackRow(harmful, 'organizations', made.item.id)
      expect(made.role).toBe('owner')
      expect(made.item).toMatchObject({ name: 'Owner CRUD', slug, type: 'team', owner_id: owner.user.id, created_by: owner.user.id, version: 1, is_deleted: false })

      const created = await owner.ok('entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: made.item.id, name: 'Launch plan' } })
      trackRow(harmful, 'projects', created.item.id)
      expect(created.item).toMatchObject({ organization_id: made.item.id, name: 'Launch plan', owned_by: owner.user.id, version: 1, is_deleted: false })

      await expectRefused(service, intruder, { tool: 'entity', args: { operation: 'create_entity', entity_type: 'project', data: { organization_id: made.item.id, name: 'Planted' } } },
        { table: 'projects', match: { organization_id: made.item.id } })
      return { pair, ws: made.item, project: created.item }
    },

    read: async ({ mcp }, { pair, ws, project }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      const read = await owner.ok('workspace', { operation: 'read_workspace', id: ws.id })
      // The version create_workspace returned is still current (counting the owner in is not an edit).
      expect(read).toMatchObject({ role: 'owner', item: { id: ws.id, slug: ws.slug, description: 'made over MCP', member_count: 1, version: ws.version } })
      expect((await owner.ok('entity', { operation: 'read_entity', entity_type: 'project', id: project.id })).item).toEqual(project)

      await expectNotFound(intruder, 'workspace', { operation: 'read_workspace', id: ws.id })
      await expectNotFound(intruder, 'entity', { operation: 'read_entity', entity_type: 'project', id: project.id })
      // Each user sees its own personal workspace, and only its own.
      await expectNotFound(owner, 'workspace', { operation: 'read_workspace', id: intruder.user.personalWorkspaceId })
      expect(await intruder.ok('workspace', { operation: 'read_workspace', id: intruder.user.personalWorkspaceId })).toMatchObject({ role: 'owner', item: { type: 'personal' } })
    },

    list: async ({ mcp }, { pair, ws, project }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      const mine = await owner.ok('workspace', { operation: 'list_workspaces', limit: 100 })
      expect(mine.items.map((w: Content) => [w.id, w.role]).sort()).toEqual([[ws.id, 'owner'], [owner.user.personalWorkspaceId, 'owner']].sort())
      const theirs = await intruder.ok('workspace', { operation: 'list_workspaces', limit: 100 })
      expect(ids(theirs.items)).toEqual([intruder.user.personalWorkspaceId])

      expect(await owner.ok('workspace', { operation: 'list_projects', workspace_id: ws.id })).toMatchObject({ total: 1, items: [{ id: project.id }] })
      await expectNothing(intruder, 'workspace', { operation: 'list_projects', workspace_id: ws.id })
      expect(await owner.ok('entity', { operation: 'list_entities', entity_type: 'project', parent_id: ws.id })).toMatchObject({ total: 1, items: [{ id: project.id }] })
      await expectNothing(intruder, 'entity', { operation: 'list_entities', entity_type: 'project', parent_id: ws.id })

      const info = await owner.ok('workspace', { operation: 'get_workspace_info', id: ws.id })
      expect(info).toMatchObject({ role: 'owner', item: { id: ws.id }, counts: { members: 1, projects: 1, documents: 0, requirements: 0, tests: 0 } })
      await expectNotFound(intruder, 'workspace', { operation: 'get_workspace_info', id: ws.id })
    },

    update: async ({ mcp, service }, { pair, ws, project }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      const rows = [{ table: 'organizations', match: { id: ws.id } }, { table: 'projects', match: { id: project.id } }]
      await expectRefused(service, intruder, [
        { tool: 'workspace', args: { operation: 'update_workspace', id: ws.id, patch: { description: 'taken over' } } },
        { tool: 'entity', args: { operation: 'update_entity', entity_type: 'project', id: project.id, data: { name: 'Hijacked' } } },
        { tool: 'entity', args: { operation: 'update_entity', entity_type: 'organization', id: ws.id, data: { name: 'Hijacked' } } },
      ], rows)

      const changed = await owner.ok('workspace', { operation: 'update_workspace', id: ws.id, patch: { description: 'changed over MCP' }, expected_version: ws.version })
      expect(changed).toMatchObject({ role: 'owner', item: { id: ws.id, description: 'changed over MCP', updated_by: owner.user.id, version: ws.version + 1 } })
      await expectRefused(service, owner, {
        tool: 'workspace', args: { operation: 'update_workspace', id: ws.id, patch: { description: 'lost update' }, expected_version: ws.version }, codes: ['CONFLICT'],
      }, rows[0]!)
      const bumped = await owner.ok('entity', { operation: 'update_entity', entity_type: 'project', id: project.id, data: { description: 'second draft' }, expected_version: 1 })
      expect(bumped.item).toMatchObject({ id: project.id, description: 'second draft', version: 2 })
      // The same version again is stale now: a conflict that changes nothing.
      await expectRefused(service, owner, {
        tool: 'entity', args: { operation: 'update_entity', entity_type: 'project', id: project.id, data: { description: 'lost update' }, expected_version: 1 }, codes: ['CONFLICT'],
      }, rows[1]!)
    },

    delete: async ({ mcp, service }, { pair, ws, project }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      await expectRefused(service, intruder, [
        { tool: 'entity', args: { operation: 'delete_entity', entity_type: 'project', id: project.id } },
        { tool: 'workspace', args: { operation: 'delete_workspace', id: ws.id } },
        { tool: 'workspace', args: { operation: 'delete_workspace', id: ws.id, hard: true } },
      ], [{ table: 'organizations', match: { id: ws.id } }, { table: 'projects', match: { organization_id: ws.id } }])

      const gone = await owner.ok('entity', { operation: 'delete_entity', entity_type: 'project', id: project.id })
      expect(gone).toMatchObject({ id: project.id, hard: false, item: { id: project.id, is_deleted: true, deleted_by: owner.user.id } })
      const closed = await owner.ok('workspace', { operation: 'delete_workspace', id: ws.id })
      expect(closed).toMatchObject({ id: ws.id, hard: false, item: { id: ws.id, is_deleted: true, deleted_by: owner.user.id } })

      // Soft-deleted rows are hidden from their owner too.
      await expectNotFound(owner, 'workspace', { operation: 'read_workspace', id: ws.id })
      await expectNotFound(owner, 'entity', { operation: 'read_entity', entity_type: 'project', id: project.id })
      expect(ids((await owner.ok('workspace', { operation: 'list_workspaces' })).items)).toEqual([owner.user.personalWorkspaceId])
    },

    // The database itself: both rows are still there, soft-deleted by their owner.
    verify: async ({ service }, { pair, ws, project }) => {
      for (const [table, id] of [['organizations', ws.id], ['projects', project.id]] as const) {
        const { data, error } = await service.from(table).select('is_deleted, deleted_at, deleted_by').eq('id', id).single()
        expect(error).toBeNull()
        expect(data).toMatchObject({ is_deleted: true, deleted_by: pair.owner.id })
        expect(data?.deleted_at).toBeTruthy()
      }
    },
  })
}
