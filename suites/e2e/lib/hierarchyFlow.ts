/**
 * Hierarchical flow over MCP: workspace → project → document → requirement → test, each level
 * made with `create_entity` under the one above, while the intruder can neither read the parent
 * nor create anything under it.
 */
import type { SuiteFixtures } from '../../../fixtures/index.ts'
import type { Content } from './Actor.ts'
import type { Pair } from './sides.ts'
import type { FlowSetup } from './setup.ts'
import { expect, hierarchicalSteps } from '../../../fixtures/index.ts'
import { runSlug } from './names.ts'
import { expectNotFound, expectNothing, expectRefused } from './rls.ts'
import { resume, startFlow, trackRow } from './setup.ts'

/** The workspace level: the users and the workspace. */
export interface Root {
  pair: Pair
  ws: Content
}

const ids = (rows: Content[]) => rows.map((row) => row.id).sort()

/** The hierarchical flow's steps for one transport. */
export function hierarchyFlowSteps(setup: FlowSetup) {
  return hierarchicalSteps<SuiteFixtures, Root, Content, Content, Content>({
    org: async ({ backend, user, mcp, harmful }) => {
      const { pair, owner, intruder } = await startFlow({ backend, user, mcp }, setup)
      const slug = runSlug(backend.runId, 'tree')
      const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'organization', data: { name: 'Owner hierarchy', slug } })
      trackRow(harmful, 'organizations', item.id)
      expect(item).toMatchObject({ slug, type: 'team', owner_id: owner.user.id, created_by: owner.user.id })
      await expectNotFound(intruder, 'entity', { operation: 'read_entity', entity_type: 'organization', id: item.id })
      return { pair, ws: item }
    },

    project: async ({ mcp, service, harmful }, { org }) => {
      const { owner, intruder } = await resume(mcp, org.pair, setup)
      const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: org.ws.id, name: 'Rover', tags: ['e2e'] } })
      trackRow(harmful, 'projects', item.id)
      expect(item).toMatchObject({ organization_id: org.ws.id, tags: ['e2e'], status: 'active', visibility: 'private', owned_by: owner.user.id })
      await expectRefused(service, intruder, { tool: 'entity', args: { operation: 'create_entity', entity_type: 'project', data: { organization_id: org.ws.id, name: 'Planted' } } },
        { table: 'projects', match: { organization_id: org.ws.id } })
      const tree = await owner.ok('entity', { operation: 'read_entity', entity_type: 'organization', id: org.ws.id, include: ['children', 'relations'] })
      expect(ids(tree.children.projects)).toEqual([item.id])
      expect(tree.relations.members.map((m: Content) => [m.user_id, m.role])).toEqual([[owner.user.id, 'owner']])
      return item
    },

    document: async ({ mcp, service, harmful }, { org, project }) => {
      const { owner, intruder } = await resume(mcp, org.pair, setup)
      const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'document', data: { project_id: project.id, name: 'Flight rules' } })
      trackRow(harmful, 'documents', item.id)
      expect(item).toMatchObject({ project_id: project.id, name: 'Flight rules', slug: 'flight-rules', version: 1 })
      await expectRefused(service, intruder, { tool: 'entity', args: { operation: 'create_entity', entity_type: 'document', data: { project_id: project.id, name: 'Planted' } } },
        { table: 'documents', match: { project_id: project.id } })
      await expectNotFound(intruder, 'entity', { operation: 'read_entity', entity_type: 'project', id: project.id })
      return item
    },

    requirement: async ({ mcp, service, harmful }, { org, document }) => {
      const { owner, intruder } = await resume(mcp, org.pair, setup)
      const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: document.id, name: 'Abort on overheat', priority: 'high' } })
      // No block was given: the server made the document's default block for it.
      trackRow(harmful, 'blocks', item.block_id)
      trackRow(harmful, 'requirements', item.id)
      expect(item).toMatchObject({ document_id: document.id, priority: 'high', created_by: owner.user.id })
      await expectRefused(service, intruder, { tool: 'entity', args: { operation: 'create_entity', entity_type: 'requirement', data: { document_id: document.id, name: 'Planted' } } },
        [{ table: 'requirements', match: { document_id: document.id } }, { table: 'blocks', match: { document_id: document.id } }])

      const read = await owner.ok('entity', { operation: 'read_entity', entity_type: 'document', id: document.id, include: ['children'] })
      expect([ids(read.children.blocks), ids(read.children.requirements)]).toEqual([[item.block_id], [item.id]])
      await expectNotFound(intruder, 'entity', { operation: 'read_entity', entity_type: 'document', id: document.id })
      return item
    },

    test: async ({ mcp, service, harmful }, { org, project, document, requirement }) => {
      const { owner, intruder } = await resume(mcp, org.pair, setup)
      const { item } = await owner.ok('entity', { operation: 'create_entity', entity_type: 'test', data: { project_id: project.id, title: 'Overheat abort test' } })
      trackRow(harmful, 'test_req', item.id)
      expect(item).toMatchObject({ project_id: project.id, title: 'Overheat abort test', created_by: owner.user.id })
      await expectRefused(service, intruder, { tool: 'entity', args: { operation: 'create_entity', entity_type: 'test', data: { project_id: project.id, title: 'Planted' } } },
        { table: 'test_req', match: { project_id: project.id } })

      const info = await owner.ok('workspace', { operation: 'get_workspace_info', id: org.ws.id })
      expect(info.counts).toEqual({ members: 1, projects: 1, documents: 1, requirements: 1, tests: 1 })
      const children = await owner.ok('entity', { operation: 'read_entity', entity_type: 'project', id: project.id, include: ['children'] })
      expect([ids(children.children.documents), ids(children.children.tests)]).toEqual([[document.id], [item.id]])
      const reqs = await owner.ok('entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: document.id })
      expect(ids(reqs.items)).toEqual([requirement.id])
      await expectNothing(intruder, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: document.id })
      await expectNothing(intruder, 'entity', { operation: 'list_entities', entity_type: 'test', parent_id: project.id })
    },
  })
}
