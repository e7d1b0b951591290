/**
 * Relationship-graph flow over MCP: create_relationship (requirement → test coverage and a
 * requirement → document trace link) → list_relationships and update_relationship →
 * get_relationship_graph → delete_relationship. The rows under the links come from the
 * factories; every link is made, changed and removed through the server.
 */
import type { SuiteFixtures } from '../../../fixtures/index.ts'
import type { Content } from './Actor.ts'
import type { Pair } from './sides.ts'
import type { FlowSetup } from './setup.ts'
import { expect, relationshipGraphSteps } from '../../../fixtures/index.ts'
import { expectNotFound, expectNothing, expectRefused } from './rls.ts'
import { resume, startFlow, trackRow } from './setup.ts'

/** The link step's result. */
export interface GraphState {
  pair: Pair
  ws: Content
  doc: Content
  req: Content
  test: Content
  coverage: Content
  trace: Content
}

/** The relationship-graph flow's steps for one transport. */
export function graphFlowSteps(setup: FlowSetup) {
  return relationshipGraphSteps<SuiteFixtures, GraphState>({
    link: async ({ backend, user, mcp, service, harmful, workspace, project, document, requirement, testCase }) => {
      const { pair, owner, intruder } = await startFlow({ backend, user, mcp }, setup)
      const as = owner.user
      const ws = await workspace({ as, name: 'owner graph' })
      const proj = await project({ as, workspace: ws })
      const doc = await document({ as, project: proj })
      const req = await requirement({ as, document: doc, values: { priority: 'high' } })
      const test = await testCase({ as, project: proj })

      const coverage = (await owner.ok('relationship', { operation: 'create_relationship', kind: 'requirement_test', source_id: req.id, target_id: test.id })).item
      trackRow(harmful, 'requirement_tests', coverage.id)
      expect(coverage).toMatchObject({ requirement_id: req.id, test_id: test.id, execution_status: 'not_executed' })
      const trace = (await owner.ok('relationship', {
        operation: 'create_relationship', kind: 'trace_link', source_id: req.id, target_id: doc.id, attributes: { link_type: 'derives_from' },
      })).item
      trackRow(harmful, 'trace_links', trace.id)
      expect(trace).toMatchObject({ source_id: req.id, source_type: 'requirement', target_id: doc.id, target_type: 'document', link_type: 'derives_from', version: 1 })

      await expectRefused(service, intruder, [
        { tool: 'relationship', args: { operation: 'create_relationship', kind: 'trace_link', source_id: doc.id, target_id: req.id, attributes: { link_type: 'relates_to' } } },
        { tool: 'relationship', args: { operation: 'create_relationship', kind: 'org_member', source_id: ws.id, target_id: intruder.user.id, attributes: { role: 'admin' } } },
        { tool: 'relationship', args: { operation: 'create_relationship', kind: 'requirement_test', source_id: req.id, target_id: test.id } },
      ], [
        { table: 'trace_links', match: { source_id: doc.id } },
        { table: 'organization_members', match: { organization_id: ws.id } },
        { table: 'requirement_tests', match: { requirement_id: req.id } },
      ])
      return { pair, ws, doc, req, test, coverage, trace }
    },

    list: async ({ mcp, service }, { pair, doc, req, coverage, trace }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      const out = await owner.ok('relationship', { operation: 'list_relationships', entity_id: req.id, direction: 'out' })
      expect(out.total).toBe(2)
      expect(out.by_kind).toMatchObject({ requirement_test: 1, trace_link: 1 })
      expect(out.items.map((l: Content) => `${l.kind}:${l.id}:${l.direction}`).sort()).toEqual([`requirement_test:${coverage.id}:out`, `trace_link:${trace.id}:out`].sort())
      const into = await owner.ok('relationship', { operation: 'list_relationships', entity_id: doc.id, kind: 'trace_link', direction: 'in' })
      expect(into).toMatchObject({ total: 1, items: [{ id: trace.id, direction: 'in' }] })
      await expectNothing(intruder, 'relationship', { operation: 'list_relationships', entity_id: req.id })

      await expectRefused(service, intruder, [
        { tool: 'relationship', args: { operation: 'update_relationship', kind: 'trace_link', id: trace.id, attributes: { description: 'forged' } } },
        { tool: 'relationship', args: { operation: 'update_relationship', kind: 'requirement_test', id: coverage.id, attributes: { execution_status: 'passed' } } },
      ], [{ table: 'trace_links', match: { id: trace.id } }, { table: 'requirement_tests', match: { id: coverage.id } }])
      const changed = await owner.ok('relationship', { operation: 'update_relationship', kind: 'trace_link', id: trace.id, attributes: { description: 'checked' }, expected_version: 1 })
      expect(changed.item).toMatchObject({ id: trace.id, description: 'checked', version: 2, updated_by: owner.user.id })
      const passed = await owner.ok('relationship', { operation: 'update_relationship', kind: 'requirement_test', id: coverage.id, attributes: { execution_status: 'passed' } })
      expect(passed.item).toMatchObject({ id: coverage.id, execution_status: 'passed' })
    },

    graph: async ({ mcp }, { pair, doc, req, test, coverage, trace }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      const graph = await owner.ok('relationship', { operation: 'get_relationship_graph', root_id: req.id, root_type: 'requirement', depth: 1 })
      expect(graph.root).toEqual({ id: req.id, type: 'requirement' })
      expect(graph.nodes.map((n: Content) => `${n.type}:${n.id}:${n.depth}`).sort())
        .toEqual([`requirement:${req.id}:0`, `test:${test.id}:1`, `document:${doc.id}:1`].sort())
      expect(graph.edges.map((e: Content) => `${e.kind}:${e.id}:${e.source_id}->${e.target_id}`).sort())
        .toEqual([`requirement_test:${coverage.id}:${req.id}->${test.id}`, `trace_link:${trace.id}:${req.id}->${doc.id}`].sort())
      const onlyTests = await owner.ok('relationship', { operation: 'get_relationship_graph', root_id: req.id, root_type: 'requirement', kinds: ['requirement_test'] })
      expect(onlyTests.edges.map((e: Content) => e.id)).toEqual([coverage.id])
      await expectNotFound(intruder, 'relationship', { operation: 'get_relationship_graph', root_id: req.id, root_type: 'requirement' })
    },

    unlink: async ({ mcp, service }, { pair, req, coverage, trace }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      await expectRefused(service, intruder, [
        { tool: 'relationship', args: { operation: 'delete_relationship', kind: 'requirement_test', id: coverage.id } },
        { tool: 'relationship', args: { operation: 'delete_relationship', kind: 'trace_link', id: trace.id, hard: true } },
      ], [{ table: 'requirement_tests', match: { id: coverage.id } }, { table: 'trace_links', match: { id: trace.id } }])

      const soft = await owner.ok('relationship', { operation: 'delete_relationship', kind: 'trace_link', id: trace.id })
      expect(soft).toMatchObject({ id: trace.id, hard: false, item: { is_deleted: true, deleted_by: owner.user.id } })
      // requirement_tests keeps no history: its links are always removed physically.
      expect(await owner.ok('relationship', { operation: 'delete_relationship', kind: 'requirement_test', id: coverage.id })).toMatchObject({ id: coverage.id, hard: true })
      await expectNothing(owner, 'relationship', { operation: 'list_relationships', entity_id: req.id })

      const [kept, removed] = await Promise.all([
        service.from('trace_links').select('is_deleted').eq('id', trace.id),
        service.from('requirement_tests').select('id').eq('id', coverage.id),
      ])
      expect([kept.data, removed.data]).toEqual([[{ is_deleted: true }], []])
    },
  })
}
