/**
 * Builds one MCP tool from a map of operations. Each operation has a strict zod input shape,
 * an output shape and a `run` function; the tool gets
 * - `schema`: a zod discriminated union on `operation`, the one validator of its input;
 * - `listedInput`: what `tools/list` shows — a flat object schema with `operation` required and
 *   every other field described with the operations that use it. A flat object is what MCP
 *   clients and model APIs accept as a tool input (top-level `oneOf` is refused by several);
 *   the SDK's own pre-validation is kept permissive on purpose so that every input problem
 *   reaches our validator and comes back as an `INVALID_INPUT` tool error with a stable code;
 * - `outputSchema`: a flat object with every operation's result fields and `error`.
 * Definitions are built once per process; `createServer` only registers them.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { SupabaseClient } from '@supabase/supabase-js'
import type { RequestContext, ToolCall } from '../../http/types.ts'

import { z } from 'zod'
import { errorBodySchema } from './results.ts'

/** Everything an operation may use while it runs. */
export interface OperationContext {
  /** supabase-js client carrying the caller's access token: RLS decides what it sees. */
  db: SupabaseClient
  /** The caller's user id (`sub` of the access token). */
  userId: string
  request: RequestContext
  /** Calls another tool operation as the same caller (workflow steps). */
  invoke(call: ToolCall): Promise<CallToolResult>
  /** Keeps work that outlives the call (a workflow run past `wait_ms`) tracked. */
  background(work: Promise<unknown>): void
}

/** Reports an input problem found by an operation's `refine`. */
export type AddIssue = (path: (string | number)[], message: string) => void

type Shape = Record<string, z.ZodType>

/** One operation of a tool. */
export interface OperationSpec<I extends Shape = Shape, O extends Shape = Shape> {
  /** One sentence for the tool description. */
  summary: string
  input: I
  /** Cross-field checks (whitelists that depend on `entity_type`...). */
  refine?(args: z.output<z.ZodObject<I>>, addIssue: AddIssue): void
  output: O
  run(args: z.output<z.ZodObject<I>>, ctx: OperationContext): Promise<z.input<z.ZodObject<O>>>
  /** The text content, when it should not be the JSON copy of the structured result. */
  text?(result: z.input<z.ZodObject<O>>): string
}

/** Declares an operation with its types inferred from its shapes. */
export function operation<I extends Shape, O extends Shape>(spec: OperationSpec<I, O>): OperationSpec<I, O> {
  return spec
}

/** A tool ready to register. */
export interface ToolDefinition {
  name: string
  title: string
  description: string
  operations: Record<string, OperationSpec<Shape, Shape>>
  schema: z.ZodType<{ operation: string } & Record<string, unknown>>
  listedInput: z.ZodType
  outputSchema: z.ZodObject<Shape>
}

/** Builds a tool definition from its operations. */
export function defineTool(config: {
  name: string
  title: string
  summary: string
  // Each operation keeps its own inferred types; the map only needs to hold them.
  operations: Record<string, OperationSpec<any, any>>
}): ToolDefinition {
  const names = Object.keys(config.operations)
  const variants = names.map((name) => {
    const spec = config.operations[name]!
    const object = z.strictObject({ operation: z.literal(name), ...spec.input })
    return spec.refine
      ? object.superRefine((args, ctx) => spec.refine!(args, (path, message) => ctx.addIssue({ code: 'custom', path, message })))
      : object
  })
  const schema = z.discriminatedUnion('operation', variants as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) => issue.code === 'invalid_union'
      ? `"operation" must be one of: ${names.join(', ')}`
      : undefined,
  })
  return {
    name: config.name,
    title: config.title,
    description: describeTool(config.summary, config.operations),
    operations: config.operations,
    schema: schema as unknown as ToolDefinition['schema'],
    listedInput: listedInput(config.operations),
    outputSchema: mergedOutput(config.operations),
  }
}

function describeTool(summary: string, operations: Record<string, OperationSpec<any, any>>): string {
  const lines = Object.entries(operations).map(([name, spec]) => {
    const fields = Object.entries(spec.input as Shape)
      .map(([key, s]) => `${key}${s.safeParse(undefined).success ? '' : '*'}`)
    return `- ${name}(${fields.join(', ')}): ${spec.summary}`
  })
  return `${summary}\nSet "operation" to one of the following (* = required field):\n${lines.join('\n')}\nErrors come back as isError results with structuredContent.error.code in NOT_FOUND, FORBIDDEN, CONFLICT, INVALID_INPUT, UNAUTHENTICATED, RATE_LIMITED, INTERNAL.`
}

interface ListedField {
  schemas: Record<string, unknown>[]
  ops: string[]
  requiredBy: string[]
}

// JSON Schema of every operation's input merged into one flat object (see the file comment).
function listedInput(operations: Record<string, OperationSpec<any, any>>): z.ZodType {
  const fields = new Map<string, ListedField>()
  for (const [name, spec] of Object.entries(operations)) {
    const json = z.toJSONSchema(z.strictObject(spec.input as Shape), { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as {
      properties?: Record<string, Record<string, unknown>>
      required?: string[]
    }
    for (const [key, property] of Object.entries(json.properties ?? {})) {
      const field = fields.get(key) ?? { schemas: [], ops: [], requiredBy: [] }
      if (!field.schemas.some((s) => JSON.stringify(s) === JSON.stringify(property))) field.schemas.push(property)
      field.ops.push(name)
      if (json.required?.includes(key)) field.requiredBy.push(name)
      fields.set(key, field)
    }
  }
  const properties: Record<string, unknown> = {
    operation: { type: 'string', enum: Object.keys(operations), description: 'The operation to run; decides which other fields apply' },
  }
  for (const [key, field] of fields) {
    const usage = `(used by ${field.ops.join(', ')}${field.requiredBy.length ? `; required by ${field.requiredBy.join(', ')}` : ''})`
    const [only] = field.schemas
    if (field.schemas.length === 1 && only) {
      properties[key] = { ...only, description: `${only.description ?? ''} ${usage}`.trim() }
    } else {
      const descriptions = [...new Set(field.schemas.map((s) => s.description).filter(Boolean))]
      properties[key] = { anyOf: field.schemas, description: `${descriptions.join(' / ')} ${usage}`.trim() }
    }
  }
  return z.looseObject({}).meta({ type: 'object', properties, required: ['operation'], additionalProperties: false })
}

function mergedOutput(operations: Record<string, OperationSpec<any, any>>): z.ZodObject<Shape> {
  // Same-named fields with the same JSON Schema are one field; different ones become a union.
  const byKey = new Map<string, Map<string, z.ZodType>>()
  for (const spec of Object.values(operations)) {
    for (const [key, schema] of Object.entries(spec.output as Shape)) {
      const variants = byKey.get(key) ?? new Map<string, z.ZodType>()
      const json = JSON.stringify(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }))
      if (!variants.has(json)) variants.set(json, schema)
      byKey.set(key, variants)
    }
  }
  const shape: Shape = {
    operation: z.enum(Object.keys(operations) as [string, ...string[]]).optional().describe('The operation that produced this result'),
    error: errorBodySchema.optional(),
  }
  for (const [key, variants] of byKey) {
    const list = [...variants.values()]
    const [first] = list
    const merged = list.length === 1 && first ? first : z.union(list as [z.ZodType, z.ZodType, ...z.ZodType[]])
    const description = (list.length === 1 ? first?.description : undefined) ?? OUTPUT_DOCS[key]
    if (!description) throw new Error(`Output field "${key}" has no description; describe it or add it to OUTPUT_DOCS`)
    shape[key] = merged.optional().describe(description)
  }
  return z.object(shape)
}

// Descriptions of output fields shared by several operations.
const OUTPUT_DOCS: Record<string, string> = {
  item: 'The row the operation read, created, changed or deleted (every column)',
  items: 'The rows of this page',
  total: 'How many rows match in total, over all pages',
  limit: 'Page size used',
  offset: 'Rows skipped',
  id: 'Id of the affected row',
  hard: 'True when the row was removed physically, false for a soft delete',
  hits: 'Ranked search hits, best first',
  entity_type: 'Entity type the result is about',
  kind: 'Relationship kind the result is about',
  role: 'The caller\'s role in the workspace (owner, admin, member, super_admin), null when not a member',
  run_id: 'Id of the workflow run',
  status: 'Status of the workflow run: pending, running, succeeded, failed or cancelled',
  run: 'The workflow_runs row: inputs, step_results (per step: status, result or error), error, started_at, finished_at',
  root: 'The entity the graph starts from',
  depth: 'Hops followed from the root',
  kinds: 'Relationship kinds followed',
  nodes: 'Entities reached, each with its type, label and distance from the root',
  edges: 'Links between the nodes, each with its kind, ends and attributes',
  scope: 'The workspace and/or project the statistics cover',
  totals: 'Live projects, documents, requirements and tests in scope',
  projects: 'Projects by status',
  requirements: 'Requirements by status and priority',
  tests: 'Tests by status and priority',
  coverage: 'Requirements linked to at least one live test: count and percent',
  format: 'Format of the export',
  count: 'Rows in the export',
  export: 'The export itself (also the text content)',
  facets: 'Counts over all matches, per facet and value',
  by_kind: 'Matches per kind (the limit applies per kind)',
  counts: 'Live rows the caller can see',
  children: 'Live child rows by kind',
  relations: 'Live relation rows by kind',
}
