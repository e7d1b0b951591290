/**
 * The `workspace` tool: workspaces (organizations) the caller belongs to, their projects, and
 * a summary with the caller's role and counts.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { ToolRegistrar } from './internal/register.ts'

import { z } from 'zod'
import { createEntity, entityRef } from '../data/createEntity.ts'
import { ENTITIES } from '../data/entities.ts'
import { ENUMS } from '../data/enums.ts'
import { mapDataError } from '../data/mapError.ts'
import { callRpc } from '../data/rpc.ts'
import { listRows, readRow, updateRow } from '../data/rows.ts'
import { WORKSPACES, countRows, deleteWorkspace, myMemberships, roleIn } from '../data/workspaces.ts'
import { defineTool, operation } from './internal/defineTool.ts'
import { dataSchema, includeDeleted, limit, offset, text, uuid } from './internal/fields.ts'
import { rowSchema } from './internal/results.ts'

const workspaceId = (what = 'workspace') => uuid().describe(`Id (uuid) of the ${what}`)
const role = z.string().nullable().describe('The caller\'s role in the workspace (owner, admin, member, super_admin), null when not a member')
const workspaceWithRole = { item: rowSchema.describe('The workspace (organizations row)'), role }

/** The workspace tool's definition (built once). */
export const workspaceTool = defineTool({
  name: 'workspace',
  title: 'Workspaces',
  summary: 'Workspaces (organizations) the caller belongs to: list, create, read, update, delete, their projects, and a summary with counts.',
  operations: {
    list_workspaces: operation({
      summary: 'Workspaces the caller is a live, active member of, with the caller\'s role.',
      input: { limit: limit(), offset: offset() },
      output: {
        items: z.array(rowSchema.describe('A workspace row plus "role", the caller\'s role in it')),
        total: z.number().int(),
        limit: z.number().int(),
        offset: z.number().int(),
      },
      async run(args, ctx) {
        const roles = await myMemberships(ctx.db, ctx.userId)
        if (roles.size === 0) return { items: [], total: 0, limit: args.limit, offset: args.offset }
        const page = await listRows(ctx.db, WORKSPACES, {
          conditions: [{ field: 'id', op: 'in', value: [...roles.keys()] }],
          order: [{ column: 'name', ascending: true }],
          limit: args.limit,
          offset: args.offset,
        })
        const items = page.items.map((w) => ({ ...w, role: roles.get(String(w.id)) ?? null }))
        return { items, total: page.total, limit: args.limit, offset: args.offset }
      },
    }),

    create_workspace: operation({
      summary: 'Create a workspace; the caller becomes its owner.',
      input: {
        name: text(255, 2).describe('Workspace name (2-255 characters)'),
        slug: z.string().min(1).max(255).regex(/^[a-z][a-z0-9-]*$/, 'must start with a letter and hold only lowercase letters, digits and "-"').optional()
          .describe('Unique URL key (lowercase letters, digits, "-", starting with a letter); derived from the name when omitted'),
        description: text(10_000).optional().describe('Free-text description'),
        type: z.enum(['team', 'enterprise']).default('team').describe('Workspace type (default "team"; personal workspaces come with sign-up)'),
      },
      output: workspaceWithRole,
      async run(args, ctx) {
        const data: Record<string, unknown> = { name: args.name, type: args.type }
        if (args.slug !== undefined) data.slug = args.slug
        if (args.description !== undefined) data.description = args.description
        const item = await createEntity(ctx.db, ctx.userId, ENTITIES.organization, data)
        return { item, role: 'owner' }
      },
    }),

    read_workspace: operation({
      summary: 'Read one live workspace the caller belongs to.',
      input: { id: workspaceId() },
      output: workspaceWithRole,
      async run(args, ctx) {
        const [item, myRole] = await Promise.all([readRow(ctx.db, WORKSPACES, args.id), roleIn(ctx.db, ctx.userId, args.id)])
        return { item, role: myRole }
      },
    }),

    update_workspace: operation({
      summary: 'Change a workspace (owners and admins); returns it with its version bumped by the database. Optimistic lock with expected_version.',
      input: {
        id: workspaceId(),
        patch: z.record(z.string(), z.unknown()).describe('Fields to change: name, slug, description, logo_url, settings, metadata'),
        expected_version: z.number().int().min(1).max(2_147_483_647).optional()
          .describe('Optimistic lock: update only while the workspace still has this version (as read), else CONFLICT naming the current and the expected version'),
      },
      refine(args, addIssue) {
        const parsed = dataSchema(ENTITIES.organization, 'update').safeParse(args.patch)
        if (!parsed.success) for (const i of parsed.error.issues.slice(0, 20)) addIssue(['patch', ...i.path.map(String)], i.message)
      },
      output: workspaceWithRole,
      async run(args, ctx) {
        const item = await updateRow(ctx.db, WORKSPACES, args.id, args.patch, { version: args.expected_version })
        return { item, role: await roleIn(ctx.db, ctx.userId, args.id) }
      },
    }),

    delete_workspace: operation({
      summary: 'Soft-delete a workspace (owner only); hard: true removes an empty one physically.',
      input: {
        id: workspaceId(),
        hard: z.boolean().default(false).describe('Remove physically (only an owner, only when it holds no projects, workflows or properties, deleted ones included)'),
      },
      output: { id: z.string(), hard: z.boolean(), item: rowSchema.describe('The workspace as it was deleted') },
      async run(args, ctx) {
        const item = await deleteWorkspace(ctx.db, ctx.userId, args.id, args.hard)
        return { id: args.id, hard: args.hard, item }
      },
    }),

    list_projects: operation({
      summary: 'Projects of one workspace, newest first.',
      input: {
        workspace_id: workspaceId(),
        status: z.enum(ENUMS.project_status).optional().describe('Only projects with this status'),
        limit: limit(),
        offset: offset(),
        include_deleted: includeDeleted(),
      },
      output: { items: z.array(rowSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() },
      async run(args, ctx) {
        const page = await listRows(ctx.db, entityRef(ENTITIES.project), {
          conditions: [
            { field: 'organization_id', op: 'eq', value: args.workspace_id },
            ...(args.status ? [{ field: 'status', op: 'eq' as const, value: args.status }] : []),
          ],
          limit: args.limit,
          offset: args.offset,
          includeDeleted: args.include_deleted,
        })
        return { ...page, limit: args.limit, offset: args.offset }
      },
    }),

    get_workspace_info: operation({
      summary: 'A workspace with the caller\'s role and live counts of members, projects, documents, requirements and tests.',
      input: { id: workspaceId() },
      output: {
        ...workspaceWithRole,
        counts: z.object({
          members: z.number().int(),
          projects: z.number().int(),
          documents: z.number().int(),
          requirements: z.number().int(),
          tests: z.number().int(),
        }).describe('Live rows the caller can see'),
      },
      async run(args, ctx) {
        const item = await readRow(ctx.db, WORKSPACES, args.id)
        const [myRole, members, stats] = await Promise.all([
          roleIn(ctx.db, ctx.userId, args.id),
          countActiveMembers(ctx.db, args.id),
          callRpc<{ totals: Record<'projects' | 'documents' | 'requirements' | 'tests', number> }>(ctx.db, 'get_query_stats', { workspace_id: args.id, project_id: null }),
        ])
        return { item, role: myRole, counts: { members, ...stats.totals } }
      },
    }),
  },
})

async function countActiveMembers(db: Parameters<typeof countRows>[0], workspaceId: string): Promise<number> {
  const { count, error, status } = await db.from('organization_members')
    .select('id', { count: 'exact', head: true })
    .eq('organization_id', workspaceId)
    .not('is_deleted', 'is', true)
    .or('status.is.null,status.eq.active')
  if (error) throw mapDataError(error, status, 'read')
  return count ?? 0
}

/** Registers the `workspace` tool. */
export function registerWorkspaceTool(server: McpServer, registrar: ToolRegistrar): void {
  registrar.register(server, workspaceTool)
}
