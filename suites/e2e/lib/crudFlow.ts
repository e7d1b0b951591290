/**
 * CRUD lifecycle over MCP: the workspace operations and the entity operations on a project,
 * create → read → list → update → delete → verify, with the other user probing every step.
 */
import type { SuiteFixtures } from '../../../fixtures/index.ts'
import type { Content } from './Actor.ts'
import type { Both, Pair } from './sides.ts'
import type { FlowSetup } from './setup.ts'
import { crudSteps, expect } from '../../../fixtures/index.ts'
import { runSlug } from './names.ts'
import { expectNotFound, expectNothing, expectRefused } from './rls.ts'
import { eachSide } from './sides.ts'
import { resume, startFlow, trackRow } from './setup.ts'

interface CrudRows {
  ws: Content
  project: Content
}

/** What the create step hands to the others. */
export interface CrudState {
  pair: Pair
  rows: Both<CrudRows>
}

/** The CRUD flow's steps for one transport. */
export function crudFlowSteps(setup: FlowSetup) {
  return crudSteps<SuiteFixtures, CrudState>({
    create: async ({ backend, user, mcp, service, harmful }) => {
      const { pair, sides } = await startFlow({ backend, user, mcp }, setup)
      const rows = await eachSide(sides, async ({ owner, intruder }) => {
        const slug = runSlug(backend.runId, owner.name)
        const made = await owner.ok('workspace', { operation: 'create_workspace', name: `${owner.name} CRUD`, slug, description: 'made over MCP' })
        trackRow(harmful, 'organizations', made.item.id)
        expect(made.role).toBe('owner')
        expect(made.item).toMatchObject({ name: `${owner.name} CRUD`, slug, type: 'team', owner_id: owner.user.id, created_by: owner.user.id, is_deleted: false })

        const created = await owner.ok('entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: made.item.id, name: 'Launch plan' } })
        trackRow(harmful, 'projects', created.item.id)
        expect(created.item).toMatchObject({ organization_id: made.item.id, name: 'Launch plan', owned_by: owner.user.id, version: 1, is_deleted: false })

        await expectRefused(service, intruder, 'entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: made.item.id, name: 'Planted' } },
          { table: 'projects', match: { organization_id: made.item.id } })
        return { ws: made.item, project: created.item }
      })
      return { pair, rows }
    },

    read: async ({ mcp }, { pair, rows }) => {
      await eachSide(await resume(mcp, pair, setup), async ({ owner, intruder, index }) => {
        const { ws, project } = rows[index]
        const read = await owner.ok('workspace', { operation: 'read_workspace', id: ws.id })
        expect(read).toMatchObject({ role: 'owner', item: { id: ws.id, slug: ws.slug, description: 'made over MCP' } })
        expect((await owner.ok('entity', { operation: 'read_entity', entity_type: 'project', id: project.id })).item).toEqual(project)

        await expectNotFound(intruder, 'workspace', { operation: 'read_workspace', id: ws.id })
        await expectNotFound(intruder, 'entity', { operation: 'read_entity', entity_type: 'project', id: project.id })
        await expectNotFound(intruder, 'entity', { operation: 'read_entity', entity_type: 'organization', id: ws.id })
      })
    },

    list: async ({ mcp }, { pair, rows }) => {
      await eachSide(await resume(mcp, pair, setup), async ({ owner, intruder, index }) => {
        const { ws, project } = rows[index]
        const mine = await owner.ok('workspace', { operation: 'list_workspaces', limit: 100 })
        expect(mine.items.find((w: Content) => w.id === ws.id)).toMatchObject({ id: ws.id, role: 'owner' })
        const theirs = await intruder.ok('workspace', { operation: 'list_workspaces', limit: 100 })
        expect(theirs.items.map((w: Content) => w.id)).not.toContain(ws.id)

        const projects = await owner.ok('workspace', { operation: 'list_projects', workspace_id: ws.id })
        expect(projects).toMatchObject({ total: 1, items: [{ id: project.id }] })
        await expectNothing(intruder, 'workspace', { operation: 'list_projects', workspace_id: ws.id })

        const entities = await owner.ok('entity', { operation: 'list_entities', entity_type: 'project', parent_id: ws.id })
        expect(entities).toMatchObject({ total: 1, items: [{ id: project.id }] })
        await expectNothing(intruder, 'entity', { operation: 'list_entities', entity_type: 'project', parent_id: ws.id })

        const info = await owner.ok('workspace', { operation: 'get_workspace_info', id: ws.id })
        expect(info).toMatchObject({ role: 'owner', item: { id: ws.id }, counts: { members: 1, projects: 1, documents: 0, requirements: 0, tests: 0 } })
        await expectNotFound(intruder, 'workspace', { operation: 'get_workspace_info', id: ws.id })
      })
    },

    update: async ({ mcp, service }, { pair, rows }) => {
      await eachSide(await resume(mcp, pair, setup), async ({ owner, intruder, index }) => {
        const { ws, project } = rows[index]
        const wsRow = { table: 'organizations', match: { id: ws.id } }
        const projectRow = { table: 'projects', match: { id: project.id } }
        await expectRefused(service, intruder, 'workspace', { operation: 'update_workspace', id: ws.id, patch: { description: 'taken over' } }, wsRow)
        await expectRefused(service, intruder, 'entity', { operation: 'update_entity', entity_type: 'project', id: project.id, data: { name: 'Hijacked' } }, projectRow)

        const changed = await owner.ok('workspace', { operation: 'update_workspace', id: ws.id, patch: { description: 'changed over MCP' }, expected_updated_at: ws.updated_at })
        expect(changed).toMatchObject({ role: 'owner', item: { id: ws.id, description: 'changed over MCP', updated_by: owner.user.id } })

        const bumped = await owner.ok('entity', { operation: 'update_entity', entity_type: 'project', id: project.id, data: { description: 'second draft' }, expected_version: 1 })
        expect(bumped.item).toMatchObject({ id: project.id, description: 'second draft', version: 2 })
        // The same version again is stale now: a conflict that changes nothing.
        await expectRefused(service, owner, 'entity', { operation: 'update_entity', entity_type: 'project', id: project.id, data: { description: 'lost update' }, expected_version: 1 },
          projectRow, ['CONFLICT'])
      })
    },

    delete: async ({ mcp, service }, { pair, rows }) => {
      await eachSide(await resume(mcp, pair, setup), async ({ owner, intruder, index }) => {
        const { ws, project } = rows[index]
        const wsRow = { table: 'organizations', match: { id: ws.id } }
        const projectRow = { table: 'projects', match: { id: project.id } }
        await expectRefused(service, intruder, 'entity', { operation: 'delete_entity', entity_type: 'project', id: project.id }, projectRow)
        await expectRefused(service, intruder, 'workspace', { operation: 'delete_workspace', id: ws.id }, [wsRow, projectRow])
        await expectRefused(service, intruder, 'workspace', { operation: 'delete_workspace', id: ws.id, hard: true }, [wsRow, projectRow])

        const gone = await owner.ok('entity', { operation: 'delete_entity', entity_type: 'project', id: project.id })
        expect(gone).toMatchObject({ id: project.id, hard: false, item: { id: project.id, is_deleted: true, deleted_by: owner.user.id } })
        const closed = await owner.ok('workspace', { operation: 'delete_workspace', id: ws.id })
        expect(closed).toMatchObject({ id: ws.id, hard: false, item: { id: ws.id, is_deleted: true, deleted_by: owner.user.id } })

        // Soft-deleted rows are hidden from their owner too.
        await expectNotFound(owner, 'workspace', { operation: 'read_workspace', id: ws.id })
        await expectNotFound(owner, 'entity', { operation: 'read_entity', entity_type: 'project', id: project.id })
        const listed = await owner.ok('workspace', { operation: 'list_workspaces', limit: 100 })
        expect(listed.items.map((w: Content) => w.id)).not.toContain(ws.id)
      })
    },

    // The database itself: both rows are still there, soft-deleted by their owner.
    verify: async ({ service }, { pair, rows }) => {
      const owners = [pair.alice.id, pair.bob.id]
      for (const [index, { ws, project }] of rows.entries()) {
        for (const [table, id] of [['organizations', ws.id], ['projects', project.id]] as const) {
          const { data, error } = await service.from(table).select('is_deleted, deleted_at, deleted_by').eq('id', id).single()
          expect(error).toBeNull()
          expect(data).toMatchObject({ is_deleted: true, deleted_by: owners[index] })
          expect(data?.deleted_at).toBeTruthy()
        }
      }
    },
  })
}
