/**
 * The `query` tool: structured queries with whitelisted fields and operators, ranked search
 * with facets, statistics of a workspace or project, and exports as JSON, CSV or Markdown.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { AddIssue } from './internal/defineTool.ts'
import type { Condition } from './internal/fields.ts'
import type { ToolRegistrar } from './internal/register.ts'

import { z } from 'zod'
import { entityRef } from '../data/createEntity.ts'
import { ENTITIES, ENTITY_TYPES } from '../data/entities.ts'
import { ENUMS } from '../data/enums.ts'
import { callRpc, searchEntities } from '../data/rpc.ts'
import { listRows, readRow } from '../data/rows.ts'
import { WORKSPACES } from '../data/workspaces.ts'
import { defineTool, operation } from './internal/defineTool.ts'
import { formatExport } from './internal/exportFormats.ts'
import { checkConditions, checkOrder, checkSelect, conditionSchema, includeDeleted, limit, offset, orderBySchema, parseOrder, text, uuid } from './internal/fields.ts'
import { rowSchema } from './internal/results.ts'
import { SEARCHABLE_TYPES } from './entity.ts'

const entityType = () => z.enum(ENTITY_TYPES).describe('Entity type: organization, project, document, block, requirement, test, property, profile')

/** The query part shared by query_entities and export_results. */
const queryShape = (maxLimit: number) => ({
  where: z.array(conditionSchema).max(20).default([])
    .describe('Conditions, all must hold: [{"field": "priority", "op": "in", "value": ["high", "critical"]}]; fields and operators whitelisted per entity_type and column kind'),
  select: z.array(z.string().max(63)).min(1).max(60).optional().describe('Columns to return (default all; "id" is always included)'),
  order_by: z.union([orderBySchema(), z.array(orderBySchema()).min(1).max(3)]).optional()
    .describe('Sort: "column", "column:asc|desc", or up to 3 of them (default "created_at:desc")'),
  limit: limit(20, maxLimit),
  offset: offset(),
  include_deleted: includeDeleted(),
})
type QueryArgs = { entity_type: (typeof ENTITY_TYPES)[number], where: Condition[], select?: string[], order_by?: string | string[], limit: number, offset: number, include_deleted: boolean }

function refineQuery(args: QueryArgs, addIssue: AddIssue, prefix: (string | number)[] = []): void {
  const def = ENTITIES[args.entity_type]
  for (const p of checkConditions(def, args.where)) addIssue([...prefix, 'where', ...p.path], p.message)
  const selectProblem = args.select ? checkSelect(def, args.select) : null
  if (selectProblem) addIssue([...prefix, 'select'], selectProblem)
  for (const spec of orders(args.order_by)) {
    const problem = checkOrder(def, spec)
    if (problem) addIssue([...prefix, 'order_by'], problem)
  }
}

const orders = (spec?: string | string[]) => (spec === undefined ? [] : Array.isArray(spec) ? spec : [spec])

function runQuery(db: Parameters<typeof listRows>[0], args: QueryArgs) {
  const def = ENTITIES[args.entity_type]
  const columns = args.select ? [...new Set(['id', ...args.select])] : undefined
  return listRows(db, entityRef(def), {
    conditions: args.where,
    order: orders(args.order_by).map(parseOrder),
    limit: args.limit,
    offset: args.offset,
    includeDeleted: args.include_deleted,
    columns,
  })
}

const countMap = z.record(z.string(), z.number())

/** The query tool's definition (built once). */
export const queryTool = defineTool({
  name: 'query',
  title: 'Queries',
  summary: 'Structured queries, ranked search with facets, statistics and exports, always limited to what the caller may read.',
  operations: {
    query_entities: operation({
      summary: 'Rows of one type matching all conditions, with total.',
      input: { entity_type: entityType(), ...queryShape(100) },
      refine: (args, addIssue) => refineQuery(args as QueryArgs, addIssue),
      output: {
        entity_type: entityType(),
        items: z.array(rowSchema),
        total: z.number().int(),
        limit: z.number().int(),
        offset: z.number().int(),
      },
      async run(args, ctx) {
        const page = await runQuery(ctx.db, args as QueryArgs)
        return { entity_type: args.entity_type, ...page, limit: args.limit, offset: args.offset }
      },
    }),

    advanced_search: operation({
      summary: 'Ranked full-text search over chosen types with optional filters and facet counts over all matches.',
      input: {
        text: text(500, 1).refine((s) => s.trim().length > 0, 'must not be blank').describe('Words to search for (web-search syntax)'),
        entity_types: z.array(z.enum(SEARCHABLE_TYPES)).min(1).max(5).describe('Types to search: organization, project, document, requirement, test'),
        filters: z.strictObject({
          workspace_id: uuid().optional().describe('Only inside this workspace'),
          project_id: uuid().optional().describe('Only inside this project'),
          status: z.array(z.enum([...new Set([...ENUMS.project_status, ...ENUMS.requirement_status, ...ENUMS.test_status, ...ENUMS.user_status])] as [string, ...string[]])).min(1).max(20).optional()
            .describe('Only hits with one of these statuses'),
          priority: z.array(z.enum([...new Set([...ENUMS.requirement_priority, ...ENUMS.test_priority])] as [string, ...string[]])).min(1).max(4).optional()
            .describe('Only hits with one of these priorities'),
          include_deleted: z.boolean().optional().describe('Include soft-deleted rows'),
        }).optional().describe('Narrowing filters'),
        facets: z.array(z.enum(['entity_type', 'status', 'priority'])).max(3).optional().describe('Facet counts to return (default all three)'),
        limit: limit(),
        offset: offset(),
      },
      output: {
        hits: z.array(rowSchema.describe('A hit: entity_type, id, title, rank, workspace_id, project_id, status, priority, is_deleted, updated_at')),
        total: z.number().int(),
        facets: z.record(z.string(), countMap).describe('Counts over all matches, per facet and value'),
      },
      async run(args, ctx) {
        const result = await searchEntities(ctx.db, {
          text: args.text,
          entityTypes: [...args.entity_types],
          workspaceId: args.filters?.workspace_id,
          projectId: args.filters?.project_id,
          statuses: args.filters?.status,
          priorities: args.filters?.priority,
          includeDeleted: args.filters?.include_deleted,
          limit: args.limit,
          offset: args.offset,
        })
        const wanted = args.facets ?? ['entity_type', 'status', 'priority']
        const facets = Object.fromEntries(wanted.map((f) => [f, result.facets[f] ?? {}]))
        return { hits: result.hits, total: result.total, facets }
      },
    }),

    get_query_stats: operation({
      summary: 'Live counts by type, status and priority, and the requirement test coverage %, for one workspace or project.',
      input: {
        workspace_id: uuid().optional().describe('Workspace to summarise'),
        project_id: uuid().optional().describe('Project to summarise (inside the workspace, when both are given)'),
      },
      refine(args, addIssue) {
        if (!args.workspace_id && !args.project_id) addIssue(['workspace_id'], 'give "workspace_id" or "project_id"')
      },
      output: {
        scope: z.object({ workspace_id: z.string().nullable(), project_id: z.string().nullable() }),
        totals: z.object({ projects: z.number(), documents: z.number(), requirements: z.number(), tests: z.number() }),
        projects: z.object({ by_status: countMap }),
        requirements: z.object({ by_status: countMap, by_priority: countMap }),
        tests: z.object({ by_status: countMap, by_priority: countMap }),
        coverage: z.object({ requirements: z.number(), covered: z.number(), percent: z.number() }).describe('Requirements linked to at least one live test'),
      },
      async run(args, ctx) {
        // Reading the scope first makes a foreign or missing one NOT_FOUND instead of all zeros.
        if (args.workspace_id) await readRow(ctx.db, WORKSPACES, args.workspace_id, { columns: ['id'] })
        if (args.project_id) await readRow(ctx.db, entityRef(ENTITIES.project), args.project_id, { columns: ['id'] })
        return callRpc(ctx.db, 'get_query_stats', { workspace_id: args.workspace_id ?? null, project_id: args.project_id ?? null })
      },
    }),

    export_results: operation({
      summary: 'Run a query_entities query (up to 1000 rows) and return it as JSON, CSV or a Markdown table.',
      input: {
        entity_type: entityType(),
        query: z.strictObject(queryShape(1000)).default({ where: [], limit: 100, offset: 0, include_deleted: false })
          .describe('The query, as query_entities takes it (limit up to 1000, default 100)'),
        format: z.enum(['json', 'csv', 'markdown']).default('json').describe('Output format (default json)'),
      },
      refine: (args, addIssue) => refineQuery({ entity_type: args.entity_type, ...args.query } as QueryArgs, addIssue, ['query']),
      output: {
        entity_type: entityType(),
        format: z.enum(['json', 'csv', 'markdown']),
        count: z.number().int().describe('Rows in the export'),
        total: z.number().int().describe('Rows matching in total'),
        export: z.string().describe('The export itself (also the text content)'),
      },
      async run(args, ctx) {
        const page = await runQuery(ctx.db, { entity_type: args.entity_type, ...args.query } as QueryArgs)
        const columns = args.query.select ? [...new Set(['id', ...args.query.select])] : Object.keys(ENTITIES[args.entity_type].columns)
        return {
          entity_type: args.entity_type,
          format: args.format,
          count: page.items.length,
          total: page.total,
          export: formatExport(page.items, columns, args.format),
        }
      },
      text: (result) => result.export,
    }),
  },
})

/** Registers the `query` tool. */
export function registerQueryTool(server: McpServer, registrar: ToolRegistrar): void {
  registrar.register(server, queryTool)
}
