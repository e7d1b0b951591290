/**
 * The `workflow` tool: stored step lists (written by hand or from one of five templates), runs
 * of them as the caller, and the status of a run.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { Row, TableRef } from '../data/rows.ts'
import type { ToolDefinition } from './internal/defineTool.ts'
import type { ToolRegistrar } from './internal/register.ts'

import { z } from 'zod'
import { ToolError } from '../errors.ts'
import { mapDataError } from '../data/mapError.ts'
import { hardDeleteRow, insertRow, listRows, readRow, softDeleteRow } from '../data/rows.ts'
import { WORKSPACES } from '../data/workspaces.ts'
import { executeRun } from '../workflows/runner.ts'
import { checkSteps, stepSchema, stepsSchema } from '../workflows/steps.ts'
import { TEMPLATES, TEMPLATE_NAMES } from '../workflows/templates.ts'
import { defineTool, operation } from './internal/defineTool.ts'
import { entityTool } from './entity.ts'
import { includeDeleted, limit, offset, text, uuid } from './internal/fields.ts'
import { queryTool } from './query.ts'
import { relationshipTool } from './relationship.ts'
import { rowSchema } from './internal/results.ts'
import { workspaceTool } from './workspace.ts'

const WORKFLOWS: TableRef = {
  table: 'workflows',
  label: 'workflow',
  columns: ['id', 'organization_id', 'name', 'description', 'steps', 'version', 'is_deleted', 'deleted_at', 'deleted_by', 'created_at', 'updated_at', 'created_by', 'updated_by'],
  softDelete: true,
  versioned: true,
}
const RUNS: TableRef = { table: 'workflow_runs', label: 'workflow run', softDelete: false, versioned: false }

const STEP_TOOLS: Record<string, ToolDefinition> = {
  workspace: workspaceTool, entity: entityTool, relationship: relationshipTool, query: queryTool,
}
const operationsOf = (tool: string) => Object.keys(STEP_TOOLS[tool]?.operations ?? {})

const runOut = {
  run_id: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']).describe('Run status'),
  run: rowSchema.describe('The workflow_runs row: inputs, step_results (per step: status, result or error), error, started_at, finished_at'),
}

/** The workflow tool's definition (built once). */
export const workflowTool = defineTool({
  name: 'workflow',
  title: 'Workflows',
  summary: 'Stored multi-step workflows: each step calls an operation of the workspace, entity, relationship or query tool as you; runs stop at the first failing step and record every step\'s result.',
  operations: {
    create_workflow: operation({
      summary: `Store a workflow in a workspace from "steps" or from a "template" (${TEMPLATE_NAMES.join(', ')}).`,
      input: {
        workspace_id: uuid().describe('Workspace the workflow belongs to'),
        name: text(255, 1).optional().describe('Workflow name (default: the template\'s title)'),
        description: text(10_000).optional().describe('What the workflow does'),
        steps: z.array(z.unknown()).min(1).max(50).optional().describe(
          'Steps in order (1-50): {id, tool, operation, args, when?} calls; {id, for_each: "${inputs.list}", do: [calls], max_items?} loops; {id, require: ["inputs.x"]} checks. Args may refer to ${inputs.x}, ${steps.<id>.path}, ${item}, ${index}, ${iter.<id>.path}, ${workflow.organization_id}, ${user.id}; {"$merge": [objects]} merges objects',
        ),
        template: z.enum(TEMPLATE_NAMES).optional().describe(
          `Use a ready-made step list instead of "steps". Inputs at execute time — ${TEMPLATE_NAMES.map((n) => `${n}: ${TEMPLATES[n].inputs}`).join('; ')}`,
        ),
      },
      refine(args, addIssue) {
        if ((args.steps === undefined) === (args.template === undefined)) addIssue(['steps'], 'give exactly one of "steps" and "template"')
        if (args.steps !== undefined) {
          if (args.name === undefined) addIssue(['name'], 'a workflow with its own steps needs a name')
          const parsed = stepsSchema.safeParse(args.steps)
          if (!parsed.success) {
            for (const i of parsed.error.issues.slice(0, 20)) addIssue(['steps', ...i.path.map(String)], i.message)
            return
          }
          for (const p of checkSteps(parsed.data, operationsOf)) addIssue(['steps', ...p.path], p.message)
        }
      },
      output: { item: rowSchema.describe('The workflows row') },
      async run(args, ctx) {
        await readRow(ctx.db, WORKSPACES, args.workspace_id, { columns: ['id'] })
        const template = args.template ? TEMPLATES[args.template] : undefined
        const steps = stepsSchema.parse(template ? template.steps : args.steps)
        const item = await insertRow(ctx.db, WORKFLOWS, {
          organization_id: args.workspace_id,
          name: args.name ?? template?.title,
          description: args.description ?? (template ? `Template "${args.template}". Inputs: ${template.inputs}` : null),
          steps,
          created_by: ctx.userId,
          updated_by: ctx.userId,
        })
        return { item }
      },
    }),

    execute_workflow: operation({
      summary: 'Run a workflow as you; waits up to wait_ms for it to finish, else returns while it keeps running (poll get_workflow_status).',
      input: {
        workflow_id: uuid().describe('Workflow to run'),
        inputs: z.record(z.string(), z.unknown()).default({}).describe('Values the steps refer to as ${inputs.<name>}'),
        wait_ms: z.number().int().min(0).max(60_000).default(30_000).describe('How long to wait for the run to end before returning (0-60000 ms, default 30000)'),
      },
      output: runOut,
      async run(args, ctx) {
        const workflow = await readRow(ctx.db, WORKFLOWS, args.workflow_id)
        const parsed = z.array(stepSchema).safeParse(workflow.steps)
        if (!parsed.success) throw new ToolError('INVALID_INPUT', `The stored steps of workflow "${args.workflow_id}" are not valid; recreate the workflow`, { issues: parsed.error.issues.slice(0, 10) })
        const started = await insertRow(ctx.db, RUNS, {
          workflow_id: args.workflow_id,
          status: 'running',
          inputs: args.inputs,
          step_results: [],
          started_at: new Date().toISOString(),
          created_by: ctx.userId,
        })
        const runId = String(started.id)
        const running = executeRun({
          db: ctx.db,
          runId,
          workflow: { id: args.workflow_id, organization_id: String(workflow.organization_id) },
          userId: ctx.userId,
          steps: parsed.data,
          inputs: args.inputs,
          invoke: ctx.invoke,
        }).then((row) => ({ row }), async (error: unknown) => ({ row: await markFailed(ctx.db, runId, error), error }))
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), args.wait_ms) })
        // wait_ms 0 means "do not wait", even when the run could finish within this tick.
        const settled = args.wait_ms === 0 ? null : await Promise.race([running, timeout])
        clearTimeout(timer)
        if (!settled) {
          ctx.background(running)
          return { run_id: runId, status: 'running' as const, run: started }
        }
        if ('error' in settled) throw settled.error
        return { run_id: runId, status: settled.row.status as 'succeeded', run: settled.row }
      },
    }),

    get_workflow_status: operation({
      summary: 'Status and per-step results of one run.',
      input: { run_id: uuid().describe('Id of the run (from execute_workflow)') },
      output: runOut,
      async run(args, ctx) {
        const run = await readRow(ctx.db, RUNS, args.run_id)
        return { run_id: args.run_id, status: run.status as 'running', run }
      },
    }),

    list_workflows: operation({
      summary: 'Workflows of one workspace, newest first.',
      input: { workspace_id: uuid().describe('Workspace id'), limit: limit(), offset: offset(), include_deleted: includeDeleted() },
      output: { items: z.array(rowSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() },
      async run(args, ctx) {
        const page = await listRows(ctx.db, WORKFLOWS, {
          conditions: [{ field: 'organization_id', op: 'eq', value: args.workspace_id }],
          limit: args.limit,
          offset: args.offset,
          includeDeleted: args.include_deleted,
        })
        return { ...page, limit: args.limit, offset: args.offset }
      },
    }),

    delete_workflow: operation({
      summary: 'Soft-delete a workflow (hard: true removes it and its runs).',
      input: { id: uuid().describe('Workflow id'), hard: z.boolean().default(false).describe('Remove physically with its runs (default false)') },
      output: { id: z.string(), hard: z.boolean(), item: rowSchema.describe('The workflow as it was deleted') },
      async run(args, ctx) {
        const item = args.hard ? await hardDeleteRow(ctx.db, WORKFLOWS, args.id) : await softDeleteRow(ctx.db, WORKFLOWS, args.id)
        return { id: args.id, hard: args.hard, item }
      },
    }),
  },
})

// A run whose bookkeeping itself failed is closed as failed, so it never stays "running".
async function markFailed(db: Parameters<typeof readRow>[0], runId: string, error: unknown): Promise<Row> {
  const { data, error: failed, status } = await db.from('workflow_runs').update({
    status: 'failed',
    error: { code: error instanceof ToolError ? error.code : 'INTERNAL', message: error instanceof Error ? error.message : String(error) },
    finished_at: new Date().toISOString(),
  }).eq('id', runId).select('*').maybeSingle()
  if (failed) throw mapDataError(failed, status, 'update')
  return (data ?? { id: runId, status: 'failed' }) as Row
}

/** Registers the `workflow` tool. */
export function registerWorkflowTool(server: McpServer, registrar: ToolRegistrar): void {
  registrar.register(server, workflowTool)
}
