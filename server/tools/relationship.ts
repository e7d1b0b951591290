/**
 * The `relationship` tool: links between entities (memberships, trace links, requirement-test
 * coverage, assignments) and the relationship graph around one entity.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { Row } from '../data/rows.ts'
import type { ToolRegistrar } from './internal/register.ts'

import { z } from 'zod'
import { ENTITY_TYPES } from '../data/entities.ts'
import { mapDataError } from '../data/mapError.ts'
import { KINDS, RELATIONSHIP_KINDS, createLink, kindRef } from '../data/relationships.ts'
import { callRpc } from '../data/rpc.ts'
import { hardDeleteRow, softDeleteRow, updateRow } from '../data/rows.ts'
import { defineTool, operation } from './internal/defineTool.ts'
import { dataSchema, describeWritable, includeDeleted, limit, uuid } from './internal/fields.ts'
import { rowSchema } from './internal/results.ts'

const KIND_DEFS = Object.values(KINDS)
const kind = () => z.enum(RELATIONSHIP_KINDS).describe(
  'Relationship kind: org_member (workspace → user), project_member (project → user), trace_link (requirement/document → requirement/document), requirement_test (requirement → test), assignment (requirement/document → user)',
)
const attributes = (mode: 'create' | 'update') => z.record(z.string(), z.unknown()).describe(
  `Link attributes by kind (* = required). ${describeWritable(KIND_DEFS, mode)}`,
)
const linkOut = { kind: kind(), item: rowSchema.describe('The link row') }

function refineAttributes(k: keyof typeof KINDS, value: Record<string, unknown> | undefined, mode: 'create' | 'update', addIssue: (path: (string | number)[], message: string) => void): void {
  const parsed = dataSchema(KINDS[k], mode).safeParse(value ?? {})
  if (!parsed.success) for (const i of parsed.error.issues.slice(0, 20)) addIssue(['attributes', ...i.path.map(String)], i.message)
}

/** The relationship tool's definition (built once). */
export const relationshipTool = defineTool({
  name: 'relationship',
  title: 'Relationships',
  summary: 'Links between entities: workspace and project memberships, trace links, requirement-test coverage and assignments; plus the graph around an entity.',
  operations: {
    create_relationship: operation({
      summary: 'Link source_id to target_id; both ends must be visible to the caller. A removed membership is restored.',
      input: {
        kind: kind(),
        source_id: uuid().describe('Id of the source end (workspace, project, requirement or document by kind)'),
        target_id: uuid().describe('Id of the target end (user, requirement, document or test by kind)'),
        attributes: attributes('create').optional(),
        source_type: z.enum(['requirement', 'document']).optional().describe('Type of a trace_link/assignment source when known (else looked up)'),
        target_type: z.enum(['requirement', 'document']).optional().describe('Type of a trace_link target when known (else looked up)'),
      },
      refine(args, addIssue) {
        refineAttributes(args.kind, args.attributes, 'create', addIssue)
        if (args.source_type && !KINDS[args.kind].source.typeColumn) addIssue(['source_type'], `kind "${args.kind}" has a fixed source type; drop "source_type"`)
        if (args.target_type && !KINDS[args.kind].target.typeColumn) addIssue(['target_type'], `kind "${args.kind}" has a fixed target type; drop "target_type"`)
      },
      output: linkOut,
      async run(args, ctx) {
        const item = await createLink(ctx.db, ctx.userId, KINDS[args.kind], args.source_id, args.target_id, args.attributes ?? {}, {
          sourceType: args.source_type,
          targetType: args.target_type,
        })
        return { kind: args.kind, item }
      },
    }),

    list_relationships: operation({
      summary: 'Links touching one entity, per kind, newest first.',
      input: {
        entity_id: uuid().describe('Id of the entity whose links to list'),
        kind: kind().optional().describe('Only this kind (default all kinds)'),
        direction: z.enum(['out', 'in', 'both']).default('both').describe('"out": the entity is the source; "in": the target; "both" (default)'),
        limit: limit(50),
        include_deleted: includeDeleted(),
      },
      output: {
        items: z.array(rowSchema.describe('A link row plus "kind" and "direction"')),
        total: z.number().int().describe('Links matching over all kinds'),
        by_kind: z.record(z.string(), z.number().int()).describe('Matches per kind (limit applies per kind)'),
      },
      async run(args, ctx) {
        const kinds = args.kind ? [KINDS[args.kind]] : Object.values(KINDS)
        const lists = await Promise.all(kinds.map(async (k) => {
          const filters: string[] = []
          if (args.direction !== 'in') filters.push(`${k.source.column}.eq.${args.entity_id}`)
          if (args.direction !== 'out') filters.push(`${k.target.column}.eq.${args.entity_id}`)
          let query: any = ctx.db.from(k.table).select(k.select.join(','), { count: 'exact' }).or(filters.join(','))
          if (k.softDelete && !args.include_deleted) query = query.not('is_deleted', 'is', true)
          const { data, error, status, count } = await query.order('created_at', { ascending: false }).order('id').limit(args.limit)
          if (error) throw mapDataError(error, status, 'read')
          const rows = ((data ?? []) as Row[]).map((row) => ({
            kind: k.type,
            direction: row[k.source.column] === args.entity_id ? 'out' : 'in',
            ...row,
          }))
          return { kind: k.type, rows, count: count ?? rows.length }
        }))
        return {
          items: lists.flatMap((l) => l.rows),
          total: lists.reduce((n, l) => n + l.count, 0),
          by_kind: Object.fromEntries(lists.map((l) => [l.kind, l.count])),
        }
      },
    }),

    update_relationship: operation({
      summary: 'Change the attributes of one live link.',
      input: {
        kind: kind(),
        id: uuid().describe('Id of the link row'),
        attributes: attributes('update'),
        expected_version: z.number().int().min(1).optional().describe('Optimistic lock for trace_link and assignment'),
      },
      refine(args, addIssue) {
        refineAttributes(args.kind, args.attributes, 'update', addIssue)
        if (args.expected_version !== undefined && !KINDS[args.kind].versioned) addIssue(['expected_version'], `kind "${args.kind}" has no version column`)
      },
      output: linkOut,
      async run(args, ctx) {
        const item = await updateRow(ctx.db, kindRef(KINDS[args.kind]), args.id, args.attributes, { version: args.expected_version })
        return { kind: args.kind, item }
      },
    }),

    delete_relationship: operation({
      summary: 'Remove one link: soft where the table keeps history (all but requirement_test), hard on request or for requirement_test.',
      input: {
        kind: kind(),
        id: uuid().describe('Id of the link row'),
        hard: z.boolean().default(false).describe('Remove physically (requirement_test links are always removed physically)'),
      },
      output: { kind: kind(), id: z.string(), hard: z.boolean(), item: rowSchema.describe('The link as it was removed') },
      async run(args, ctx) {
        const k = KINDS[args.kind]
        const hard = args.hard || !k.softDelete
        const item = hard ? await hardDeleteRow(ctx.db, kindRef(k), args.id) : await softDeleteRow(ctx.db, kindRef(k), args.id)
        return { kind: args.kind, id: args.id, hard, item }
      },
    }),

    get_relationship_graph: operation({
      summary: 'Nodes and edges reachable from one entity over links (both directions, cycle-safe, depth 0-5).',
      input: {
        root_id: uuid().describe('Id of the entity to start from'),
        root_type: z.enum(ENTITY_TYPES).describe('Type of that entity'),
        depth: z.number().int().min(0).max(5).default(2).describe('Hops to follow, 0-5 (default 2)'),
        kinds: z.array(z.enum(RELATIONSHIP_KINDS)).min(1).max(5).optional().describe('Follow only these kinds (default all)'),
      },
      output: {
        root: z.object({ id: z.string(), type: z.string() }),
        depth: z.number().int(),
        kinds: z.array(z.string()),
        nodes: z.array(z.object({ id: z.string(), type: z.string(), label: z.string().nullable(), depth: z.number().int() })),
        edges: z.array(z.object({
          id: z.string(), kind: z.string(), source_id: z.string(), source_type: z.string(),
          target_id: z.string(), target_type: z.string(), attributes: z.record(z.string(), z.unknown()),
        })),
      },
      async run(args, ctx) {
        return callRpc(ctx.db, 'get_relationship_graph', {
          root_id: args.root_id,
          root_type: args.root_type,
          depth: args.depth,
          kinds: args.kinds ?? null,
        })
      },
    }),
  },
})

/** Registers the `relationship` tool. */
export function registerRelationshipTool(server: McpServer, registrar: ToolRegistrar): void {
  registrar.register(server, relationshipTool)
}
