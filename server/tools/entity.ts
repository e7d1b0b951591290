/**
 * The `entity` tool: list, create, read, update, delete and search the eight entity types
 * (organization, project, document, block, requirement, test, property, profile).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { EntityType } from '../data/entities.ts'
import type { Row } from '../data/rows.ts'
import type { ToolRegistrar } from './internal/register.ts'

import { z } from 'zod'
import { createEntity, entityRef } from '../data/createEntity.ts'
import { ENTITIES, ENTITY_TYPES } from '../data/entities.ts'
import { loadRelated } from '../data/related.ts'
import { searchEntities } from '../data/rpc.ts'
import { hardDeleteRow, listRows, readRow, softDeleteRow, updateRow } from '../data/rows.ts'
import { deleteWorkspace } from '../data/workspaces.ts'
import { defineTool, operation } from './internal/defineTool.ts'
import {
  checkConditions, checkOrder, dataSchema, describeWritable, filtersToConditions, includeDeleted, limit, offset,
  orderBySchema, parseOrder, text, uuid,
} from './internal/fields.ts'
import { rowSchema } from './internal/results.ts'

const DEFS = Object.values(ENTITIES)

/** Entity types `search_entities` ranks (those with a search vector). */
export const SEARCHABLE_TYPES = ['organization', 'project', 'document', 'requirement', 'test'] as const

const entityType = () => z.enum(ENTITY_TYPES)
  .describe('Entity type: organization (= workspace), project, document, block (document section), requirement, test, property (custom field), profile (user)')
const id = (what = 'entity') => uuid().describe(`Id (uuid) of the ${what}`)
const data = (mode: 'create' | 'update') => z.record(z.string(), z.unknown()).describe(
  `Fields to ${mode === 'create' ? 'set on the new row' : 'change'}, depending on entity_type (${mode === 'create' ? '* = required; ' : ''}ids, audit columns and versions are filled by the server). ${describeWritable(DEFS, mode)}`,
)
const expectedVersion = () => z.number().int().min(1).max(2_147_483_647).optional()
  .describe(`Optimistic lock for versioned types (${DEFS.filter((d) => d.versioned).map((d) => d.type).join(', ')}): update only while the row still has this version, else CONFLICT`)
const expectedUpdatedAt = () => z.iso.datetime({ offset: true }).optional()
  .describe('Optimistic lock for any type: update only while updated_at still equals this value (as read), else CONFLICT')

const page = {
  entity_type: entityType(),
  items: z.array(rowSchema).describe('The rows of this page'),
  total: z.number().int().describe('Rows matching in total (all pages)'),
  limit: z.number().int(),
  offset: z.number().int(),
}
const single = { entity_type: entityType(), item: rowSchema }

/** Checks `data` against the per-type schema and reports problems under `data.<field>`. */
function refineData(type: EntityType, value: Record<string, unknown>, mode: 'create' | 'update', addIssue: (path: (string | number)[], message: string) => void): void {
  const parsed = dataSchema(ENTITIES[type], mode).safeParse(value)
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 20)) {
      const message = issue.code === 'unrecognized_keys'
        ? `${issue.message}; ${type} accepts: ${describeWritable([ENTITIES[type]], mode)}`
        : issue.message
      addIssue(['data', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message)
    }
  }
}

/** The entity tool's definition (built once). */
export const entityTool = defineTool({
  name: 'entity',
  title: 'Entities',
  summary: 'Create, read, update, delete, list and search the rows of one entity type. Deletes are soft unless hard is true; soft-deleted rows are hidden unless include_deleted is true.',
  operations: {
    list_entities: operation({
      summary: 'Page through rows of one type, optionally under a parent and filtered.',
      input: {
        entity_type: entityType(),
        parent_id: uuid().optional().describe('Only rows under this parent: project → workspace, document/test → project, block/requirement → document, property → workspace, project or document'),
        filters: z.record(z.string().max(63), z.unknown()).optional()
          .describe('Column filters: {"status": "active"} (equals), {"priority": ["high","critical"]} (in), {"deleted_at": null} (is null), or {"created_at": {"gte": "2025-01-01T00:00:00Z"}} with an operator of eq, neq, gt, gte, lt, lte, like, ilike, in, is, contains; columns whitelisted per entity_type'),
        order_by: orderBySchema().optional().describe('Sort as "column" or "column:asc|desc" (default "created_at:desc")'),
        limit: limit(),
        offset: offset(),
        include_deleted: includeDeleted(),
      },
      refine(args, addIssue) {
        const def = ENTITIES[args.entity_type]
        if (args.parent_id && def.parentColumns.length === 0) addIssue(['parent_id'], `entity_type "${def.type}" has no parent; drop "parent_id"`)
        const conditions = filtersToConditions(args.filters ?? {})
        if (conditions.length > 20) addIssue(['filters'], 'at most 20 filters')
        for (const p of checkConditions(def, conditions)) addIssue(['filters', conditions[p.path[0] as number]!.field], p.message)
        const orderProblem = args.order_by ? checkOrder(def, args.order_by) : null
        if (orderProblem) addIssue(['order_by'], orderProblem)
      },
      output: page,
      async run(args, ctx) {
        const def = ENTITIES[args.entity_type]
        const parent = args.parent_id
        const result = await listRows(ctx.db, entityRef(def), {
          conditions: filtersToConditions(args.filters ?? {}),
          extra: parent ? (q) => def.parentColumns.length === 1 ? q.eq(def.parentColumns[0], parent) : q.or(def.parentColumns.map((c) => `${c}.eq.${parent}`).join(',')) : undefined,
          order: args.order_by ? [parseOrder(args.order_by)] : undefined,
          limit: args.limit,
          offset: args.offset,
          includeDeleted: args.include_deleted,
        })
        return { entity_type: def.type, ...result, limit: args.limit, offset: args.offset }
      },
    }),

    create_entity: operation({
      summary: 'Create one row; returns it as stored. A requirement without block_id goes into its document\'s default block.',
      input: { entity_type: entityType(), data: data('create') },
      refine: (args, addIssue) => refineData(args.entity_type, args.data, 'create', addIssue),
      output: single,
      async run(args, ctx) {
        const item = await createEntity(ctx.db, ctx.userId, ENTITIES[args.entity_type], args.data)
        return { entity_type: args.entity_type, item }
      },
    }),

    read_entity: operation({
      summary: 'Read one row by id, optionally with its children and relations.',
      input: {
        entity_type: entityType(),
        id: id(),
        include: z.array(z.enum(['children', 'relations'])).max(2).optional()
          .describe('Add "children" (e.g. a project\'s documents and tests) and/or "relations" (members, trace links, assignments, requirement-test links), up to 100 each'),
        include_deleted: includeDeleted(),
      },
      output: {
        ...single,
        children: z.record(z.string(), z.array(rowSchema)).optional().describe('Live child rows by kind'),
        relations: z.record(z.string(), z.array(rowSchema)).optional().describe('Live relation rows by kind'),
      },
      async run(args, ctx) {
        const def = ENTITIES[args.entity_type]
        const item = await readRow(ctx.db, entityRef(def), args.id, { includeDeleted: args.include_deleted })
        const result: { entity_type: EntityType, item: Row, children?: Record<string, Row[]>, relations?: Record<string, Row[]> } = { entity_type: def.type, item }
        if (args.include?.includes('children')) result.children = await loadRelated(ctx.db, def.type, args.id, 'children')
        if (args.include?.includes('relations')) result.relations = await loadRelated(ctx.db, def.type, args.id, 'relations')
        return result
      },
    }),

    update_entity: operation({
      summary: 'Change fields of one live row; returns it as stored (version bumped by the database).',
      input: {
        entity_type: entityType(),
        id: id(),
        data: data('update'),
        expected_version: expectedVersion(),
        expected_updated_at: expectedUpdatedAt(),
      },
      refine(args, addIssue) {
        refineData(args.entity_type, args.data, 'update', addIssue)
        if (args.expected_version !== undefined && !ENTITIES[args.entity_type].versioned) {
          addIssue(['expected_version'], `entity_type "${args.entity_type}" has no version column; use "expected_updated_at"`)
        }
      },
      output: single,
      async run(args, ctx) {
        const def = ENTITIES[args.entity_type]
        const item = await updateRow(ctx.db, entityRef(def), args.id, args.data, { version: args.expected_version, updatedAt: args.expected_updated_at })
        return { entity_type: def.type, item }
      },
    }),

    delete_entity: operation({
      summary: 'Soft-delete one row (hard: true removes it physically; children are never deleted with it).',
      input: {
        entity_type: entityType(),
        id: id(),
        hard: z.boolean().default(false).describe('Remove the row physically instead of soft-deleting it (default false); refused while other rows refer to it'),
      },
      output: { entity_type: entityType(), id: z.string(), hard: z.boolean(), item: rowSchema.describe('The row as it was deleted') },
      async run(args, ctx) {
        const def = ENTITIES[args.entity_type]
        const item = def.type === 'organization'
          ? await deleteWorkspace(ctx.db, ctx.userId, args.id, args.hard)
          : args.hard ? await hardDeleteRow(ctx.db, entityRef(def), args.id) : await softDeleteRow(ctx.db, entityRef(def), args.id)
        return { entity_type: def.type, id: args.id, hard: args.hard, item }
      },
    }),

    search_entities: operation({
      summary: 'Full-text search (ranked by ts_rank) over workspaces, projects, documents, requirements and tests.',
      input: {
        text: text(500, 1).refine((s) => s.trim().length > 0, 'must not be blank').describe('Words to search for (web-search syntax: "quoted phrase", -exclude, or)'),
        entity_types: z.array(z.enum(SEARCHABLE_TYPES)).min(1).max(5).optional().describe('Limit to these types (default all searchable types)'),
        workspace_id: uuid().optional().describe('Only hits inside this workspace'),
        project_id: uuid().optional().describe('Only hits inside this project'),
        limit: limit(),
        offset: offset(),
        include_deleted: includeDeleted(),
      },
      output: {
        hits: z.array(z.object({
          entity_type: z.string(), id: z.string(), title: z.string().nullable(), rank: z.number(),
          workspace_id: z.string().nullable(), project_id: z.string().nullable(),
          status: z.string().nullable(), priority: z.string().nullable(),
          is_deleted: z.boolean(), updated_at: z.string().nullable(),
        }).describe('One hit: the row\'s type, id, title and rank')),
        total: z.number().int(),
      },
      async run(args, ctx) {
        const { hits, total } = await searchEntities(ctx.db, {
          text: args.text,
          entityTypes: args.entity_types ? [...args.entity_types] : undefined,
          workspaceId: args.workspace_id,
          projectId: args.project_id,
          includeDeleted: args.include_deleted,
          limit: args.limit,
          offset: args.offset,
        })
        return { hits, total }
      },
    }),
  },
})

/** Registers the `entity` tool. */
export function registerEntityTool(server: McpServer, registrar: ToolRegistrar): void {
  registrar.register(server, entityTool)
}
