/**
 * Search & export flow over MCP: seed (factories, so the data is independent of the server) →
 * search (search_entities, query_entities, advanced_search, get_query_stats) and export
 * (export_results as JSON, CSV and Markdown) → verify that the exports hold exactly the rows the
 * query found. The intruder searches the same words and finds nothing.
 */
import type { SuiteFixtures } from '../../../fixtures/index.ts'
import type { Content } from './Actor.ts'
import type { Pair } from './sides.ts'
import type { FlowSetup } from './setup.ts'
import { expect, searchExportSteps } from '../../../fixtures/index.ts'
import { uniqueWord } from './names.ts'
import { expectNotFound, expectNothing } from './rls.ts'
import { UnexpectedResultError } from './errors.ts'
import { resume, startPair, trackRow } from './setup.ts'

/** The seed step's result. */
export interface SearchState {
  pair: Pair
  ws: Content
  project: Content
  doc: Content
  /** `[high priority with the keyword, low priority without]` */
  reqs: [Content, Content]
  test: Content
  keyword: string
}

const FORMATS = ['json', 'csv', 'markdown'] as const
const COLUMNS = ['id', 'name', 'priority', 'status'] as const

/** The query both `query_entities` and `export_results` run: the document's requirements by name. */
const requirementsOf = (doc: Content) => ({ where: [{ field: 'document_id', op: 'eq', value: doc.id }], select: ['name', 'priority', 'status'], order_by: 'name' })

/** What `export_results` must produce for `rows`, per format (columns: id first, then the selection). */
function expectedExports(rows: Content[]): Record<(typeof FORMATS)[number], string> {
  const cells = rows.map((row) => COLUMNS.map((c) => String(row[c])))
  return {
    json: JSON.stringify(rows.map((row) => Object.fromEntries(COLUMNS.map((c) => [c, row[c]]))), null, 2),
    csv: [COLUMNS.join(','), ...cells.map((c) => c.join(','))].join('\r\n'),
    markdown: [`| ${COLUMNS.join(' | ')} |`, `| ${COLUMNS.map(() => '---').join(' | ')} |`, ...cells.map((c) => `| ${c.join(' | ')} |`)].join('\n'),
  }
}

/** The search & export flow's steps for one transport. */
export function searchExportFlowSteps(setup: FlowSetup) {
  return searchExportSteps<SuiteFixtures, SearchState, Content[], Record<string, string>>({
    seed: async ({ backend, user, harmful, workspace, project, document, requirement, testCase }) => {
      // The seed goes through the factories; the next steps connect the users.
      const pair = await startPair({ backend, user }, setup)
      const as = pair.owner
      const keyword = uniqueWord('quasar')
      const ws = await workspace({ as, name: 'owner search' })
      const proj = await project({ as, workspace: ws })
      const doc = await document({ as, project: proj })
      const high = await requirement({ as, document: doc, name: 'Abort on overheat', values: { description: `The ${keyword} valve must close`, priority: 'high' } })
      const low = await requirement({ as, document: doc, name: 'Log telemetry', values: { priority: 'low' } })
      const test = await testCase({ as, project: proj, title: 'Valve closes' })
      const { data, error } = await as.client.from('requirement_tests').insert({ requirement_id: high.id, test_id: test.id }).select('id').single()
      if (error || !data) throw new UnexpectedResultError(`Could not link the seeded requirement to its test: ${error?.message}`)
      trackRow(harmful, 'requirement_tests', data.id)
      return { pair, ws, project: proj, doc, reqs: [high, low], test, keyword }
    },

    search: async ({ mcp }, { pair, ws, project, doc, reqs: [high, low], keyword }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      const found = await owner.ok('entity', { operation: 'search_entities', text: keyword })
      expect(found.total).toBe(1)
      expect(found.hits[0]).toMatchObject({ entity_type: 'requirement', id: high.id, title: high.name, workspace_id: ws.id, project_id: project.id, priority: 'high' })
      await expectNothing(intruder, 'entity', { operation: 'search_entities', text: keyword })

      const queried = await owner.ok('query', { operation: 'query_entities', entity_type: 'requirement', ...requirementsOf(doc) })
      expect(queried.total).toBe(2)
      expect(queried.items.map((r: Content) => [r.id, r.name, r.priority])).toEqual([[high.id, high.name, 'high'], [low.id, low.name, 'low']])
      await expectNothing(intruder, 'query', { operation: 'query_entities', entity_type: 'requirement', ...requirementsOf(doc) })

      const advanced = await owner.ok('query', {
        operation: 'advanced_search', text: keyword, entity_types: ['requirement', 'document'],
        filters: { workspace_id: ws.id, priority: ['high', 'critical'] }, facets: ['entity_type', 'priority'],
      })
      expect(advanced).toMatchObject({ total: 1, hits: [{ id: high.id }], facets: { entity_type: { requirement: 1 }, priority: { high: 1 } } })
      await expectNothing(intruder, 'query', { operation: 'advanced_search', text: keyword, entity_types: ['requirement', 'document', 'project'] })

      for (const scope of [{ workspace_id: ws.id }, { project_id: project.id }]) {
        const stats = await owner.ok('query', { operation: 'get_query_stats', ...scope })
        expect(stats.totals).toEqual({ projects: 1, documents: 1, requirements: 2, tests: 1 })
        expect(stats.requirements.by_priority).toEqual({ low: 1, medium: 0, high: 1, critical: 0 })
        expect(stats.coverage).toEqual({ requirements: 2, covered: 1, percent: 50 })
        await expectNotFound(intruder, 'query', { operation: 'get_query_stats', ...scope })
      }
      return queried.items as Content[]
    },

    export: async ({ mcp }, { pair, doc }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      const exports: Record<string, string> = {}
      for (const format of FORMATS) {
        const { content, text } = await owner.okWithText('query', { operation: 'export_results', entity_type: 'requirement', query: requirementsOf(doc), format })
        expect(content).toMatchObject({ entity_type: 'requirement', format, count: 2, total: 2 })
        // The export is also the text content, for clients that read only text.
        expect(text).toBe(content.export)
        exports[format] = content.export
      }
      const foreign = await expectNothing(intruder, 'query', { operation: 'export_results', entity_type: 'requirement', query: requirementsOf(doc), format: 'json' }, (c) => c.count)
      expect([foreign.total, foreign.export]).toEqual([0, '[]'])
      return exports
    },

    // Both come from the same query: the exports hold exactly the rows query_entities found.
    verify: async ({}, { hits, exported }) => {
      expect(exported).toEqual(expectedExports(hits))
    },
  })
}
