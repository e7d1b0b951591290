/**
 * The base `ToolInvoker`: finds the tool, validates the arguments with its zod union, checks
 * that the caller is authenticated, builds the per-call context (a supabase-js client carrying
 * the caller's token) and runs the operation. Expected failures come back as `isError` results
 * with a stable code; anything else is thrown for the wrapping layer (observability, or the
 * registrar's last resort) to report as INTERNAL.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { ToolInvoker } from '../http/types.ts'
import type { OperationContext, ToolDefinition } from './internal/defineTool.ts'

import { ToolError } from '../errors.ts'
import { errorResult, okResult } from './internal/results.ts'

/** Deepest nesting and largest JSON size accepted in tool arguments. */
export const ARGUMENT_LIMITS = { depth: 32, bytes: 1_000_000 } as const

/** What the base invoker needs. */
export interface InvokerOptions {
  tools: ToolDefinition[]
  /** The caller's supabase-js client for an access token. */
  clientFor(accessToken: string): SupabaseClient
  /** The invoker workflow steps call: the outermost (wrapped) one, so steps are observed too. */
  self(): ToolInvoker
  /** Tracks work that outlives a call. */
  background(work: Promise<unknown>): void
}

/** Builds the base invoker over a set of tool definitions. */
export function createBaseInvoker(options: InvokerOptions): ToolInvoker {
  const tools = new Map(options.tools.map((t) => [t.name, t]))
  return async (call, ctx) => {
    const tool = tools.get(call.tool)
    if (!tool) return errorResult(new ToolError('INVALID_INPUT', `Unknown tool "${call.tool}"; use one of: ${[...tools.keys()].join(', ')}`))
    const shapeProblem = checkShape(call.args)
    if (shapeProblem) return errorResult(new ToolError('INVALID_INPUT', shapeProblem))
    const parsed = tool.schema.safeParse(call.args)
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
      const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
      return errorResult(new ToolError('INVALID_INPUT', `Invalid arguments for ${tool.name}.${call.operation || '?'}: ${summary}`, { issues }))
    }
    if (!ctx.accessToken) {
      return errorResult(new ToolError('UNAUTHENTICATED', 'No access token: sign in and send "Authorization: Bearer <token>" (HTTP) or set ATOMS_ACCESS_TOKEN (stdio)'))
    }
    const userId = ctx.userId ?? subjectOf(ctx.accessToken)
    if (!userId) return errorResult(new ToolError('UNAUTHENTICATED', 'The access token names no user ("sub" claim); sign in again'))
    const args = parsed.data
    const spec = tool.operations[args.operation]!
    const opContext: OperationContext = {
      db: options.clientFor(ctx.accessToken),
      userId,
      request: ctx,
      invoke: (inner) => options.self()(inner, ctx),
      background: options.background,
    }
    try {
      const result = await spec.run(args, opContext)
      const structured = { operation: args.operation, ...result }
      return okResult(structured, spec.text?.(result))
    } catch (error) {
      if (error instanceof ToolError) return errorResult(error)
      throw error
    }
  }
}

// Arguments must be a JSON object of bounded depth and size before zod looks at them, so that
// hostile nesting cannot exhaust the stack of a recursive validator.
function checkShape(args: unknown): string | null {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return 'Arguments must be a JSON object'
  const stack: Array<[unknown, number]> = [[args, 1]]
  while (stack.length) {
    const [value, depth] = stack.pop()!
    if (depth > ARGUMENT_LIMITS.depth) return `Arguments are nested deeper than ${ARGUMENT_LIMITS.depth} levels`
    if (value && typeof value === 'object') for (const child of Object.values(value)) stack.push([child, depth + 1])
  }
  let size: number
  try {
    size = JSON.stringify(args).length
  } catch {
    return 'Arguments must be plain JSON'
  }
  return size > ARGUMENT_LIMITS.bytes ? `Arguments are larger than ${ARGUMENT_LIMITS.bytes} bytes` : null
}

/** The `sub` claim of a JWT, read without verification (the database verifies the token itself). */
export function subjectOf(token: string): string | undefined {
  const [, payload] = token.split('.')
  if (!payload) return undefined
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }
    return typeof claims.sub === 'string' && claims.sub ? claims.sub : undefined
  } catch {
    return undefined
  }
}
