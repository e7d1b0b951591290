/**
 * Hierarchical flow over MCP: workspace → project → document → requirement → test, each level
 * created with `create_entity` under the one above, while the other user can neither see the
 * parent nor create anything under it.
 */
import type { SuiteFixtures } from '../../../fixtures/index.ts'
import type { Content } from './Actor.ts'
import type { Both, Pair } from './sides.ts'
import type { FlowSetup } from './setup.ts'
import { expect, hierarchicalSteps } from '../../../fixtures/index.ts'
import { runSlug } from './names.ts'
import { expectNotFound, expectNothing, expectRefused } from './rls.ts'
import { eachSide } from './sides.ts'
import { resume, startFlow, trackRow } from './setup.ts'

/** One level's rows for both users, plus the users. */
export interface Level {
  pair: Pair
  rows: Both<Content>
}

const ids = (rows: Content[]) => rows.map((row) => row.id).sort()

/** The hierarchical flow's steps for one transport. */
export function hierarchyFlowSteps(setup: FlowSetup) {
  return hierarchicalSteps<SuiteFixtures, Level, Level, Level, Level>({
    org: async ({ backend, user, mcp, harmful }) => {
      const { pair, sides } = await startFlow({ backend, user, mcp }, setup)
      const rows = await eachSide(sides, async ({ owner, intruder }) => {
        const slug = runSlug(backend.runId, `${owner.name}-tree`)
        const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'organization', data: { name: `${owner.name} hierarchy`, slug } })
        trackRow(harmful, 'organizations', item.id)
        expect(item).toMatchObject({ slug, type: 'team', owner_id: owner.user.id, created_by: owner.user.id })
        await expectNotFound(intruder, 'entity', { operation: 'read_entity', entity_type: 'organization', id: item.id })
        return item
      })
      return { pair, rows }
    },

    project: async ({ mcp, service, harmful }, { org }) => {
      const rows = await eachSide(await resume(mcp, org.pair, setup), async ({ owner, intruder, index }) => {
        const ws = org.rows[index]
        const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: ws.id, name: 'Rover', tags: ['e2e'] } })
        trackRow(harmful, 'projects', item.id)
        expect(item).toMatchObject({ organization_id: ws.id, tags: ['e2e'], status: 'active', visibility: 'private', owned_by: owner.user.id })
        await expectRefused(service, intruder, 'entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: ws.id, name: 'Planted' } },
          { table: 'projects', match: { organization_id: ws.id } })
        const tree = await owner.ok('entity', { operation: 'read_entity', entity_type: 'organization', id: ws.id, include: ['children', 'relations'] })
        expect(ids(tree.children.projects)).toEqual([item.id])
        expect(tree.relations.members.map((m: Content) => [m.user_id, m.role])).toEqual([[owner.user.id, 'owner']])
        return item
      })
      return { pair: org.pair, rows }
    },

    document: async ({ mcp, service, harmful }, { org, project }) => {
      const rows = await eachSide(await resume(mcp, org.pair, setup), async ({ owner, intruder, index }) => {
        const parent = project.rows[index]
        const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'document', data: { project_id: parent.id, name: 'Flight rules' } })
        trackRow(harmful, 'documents', item.id)
        expect(item).toMatchObject({ project_id: parent.id, name: 'Flight rules', slug: 'flight-rules', version: 1 })
        await expectRefused(service, intruder, 'entity', { operation: 'create_entity', entity_type: 'document', data: { project_id: parent.id, name: 'Planted' } },
          { table: 'documents', match: { project_id: parent.id } })
        return item
      })
      return { pair: org.pair, rows }
    },

    requirement: async ({ mcp, service, harmful }, { org, project, document }) => {
      const rows = await eachSide(await resume(mcp, org.pair, setup), async ({ owner, intruder, index }) => {
        const doc = document.rows[index]
        const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: doc.id, name: 'Abort on overheat', priority: 'high' } })
        // The server put it into the document's default block, which it made for it.
        trackRow(harmful, 'blocks', item.block_id)
        trackRow(harmful, 'requirements', item.id)
        expect(item).toMatchObject({ document_id: doc.id, priority: 'high', created_by: owner.user.id })
        await expectRefused(service, intruder, 'entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: doc.id, name: 'Planted' } },
          [{ table: 'requirements', match: { document_id: doc.id } }, { table: 'blocks', match: { document_id: doc.id } }])

        const read = await owner.ok('entity', { operation: 'read_entity', entity_type: 'document', id: doc.id, include: ['children'] })
        expect(ids(read.children.blocks)).toEqual([item.block_id])
        expect(ids(read.children.requirements)).toEqual([item.id])
        await expectNotFound(intruder, 'entity', { operation: 'read_entity', entity_type: 'document', id: doc.id })
        await expectNotFound(intruder, 'entity', { operation: 'read_entity', entity_type: 'project', id: project.rows[index].id })
        return item
      })
      return { pair: org.pair, rows }
    },

    test: async ({ mcp, service, harmful }, { org, project, document, requirement }) => {
      await eachSide(await resume(mcp, org.pair, setup), async ({ owner, intruder, index }) => {
        const parent = project.rows[index]
        const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'test', data: { project_id: parent.id, title: 'Overheat abort test' } })
        trackRow(harmful, 'test_req', item.id)
        expect(item).toMatchObject({ project_id: parent.id, title: 'Overheat abort test', created_by: owner.user.id })
        await expectRefused(service, intruder, 'entity', { operation: 'create_entity', entity_type: 'test', data: { project_id: parent.id, title: 'Planted' } },
          { table: 'test_req', match: { project_id: parent.id } })

        const info = await owner.ok('workspace', { operation: 'get_workspace_info', id: org.rows[index].id })
        expect(info.counts).toEqual({ members: 1, projects: 1, documents: 1, requirements: 1, tests: 1 })
        const children = await owner.ok('entity', { operation: 'read_entity', entity_type: 'project', id: parent.id, include: ['children'] })
        expect([ids(children.children.documents), ids(children.children.tests)]).toEqual([[document.rows[index].id], [item.id]])
        const reqs = await owner.ok('entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: document.rows[index].id })
        expect(ids(reqs.items)).toEqual([requirement.rows[index].id])
        await expectNothing(intruder, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: document.rows[index].id })
        await expectNothing(intruder, 'entity', { operation: 'list_entities', entity_type: 'test', parent_id: parent.id })
      })
    },
  })
}
