/**
 * The one wrapper every tool call goes through: it times the call, logs it, records metrics and
 * dashboard figures, and turns a thrown error into an `INTERNAL` tool error that names the
 * correlation id, so a client never sees a stack trace and an operator can find the log line.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { Logger } from 'pino'
import type { RequestContext, ToolCall, ToolInvoker } from '../http/types.ts'
import type { Metrics } from './metrics.ts'
import type { RollingStats } from './RollingStats.ts'

import { McpError } from '@modelcontextprotocol/sdk/types.js'
import { currentRequestId, newRequestId, runWithRequestId } from './correlation.ts'

/** What {@link withObservability} records into. */
export interface ToolObserver {
  logger: Logger
  metrics: Metrics
  stats: RollingStats
}

/** Stable code of the tool error a thrown error becomes. */
export const INTERNAL = 'INTERNAL'

/**
 * Wraps a tool invoker with timing, logging, metrics and error mapping.
 * - a result with `isError` is counted under its code (`structuredContent.error.code`);
 * - an `McpError` (protocol-level, e.g. invalid params) is counted and rethrown unchanged;
 * - any other thrown error is logged with its stack and becomes an `INTERNAL` tool error
 *   carrying the correlation id and no internals.
 * Calls without a current correlation scope (stdio) get one for their duration.
 */
export function withObservability(invoker: ToolInvoker, obs: ToolObserver): ToolInvoker {
  const { logger, metrics, stats } = obs
  const observed = async (call: ToolCall, ctx: RequestContext, requestId: string): Promise<CallToolResult> => {
    const started = performance.now()
    let result: CallToolResult
    try {
      result = await invoker(call, ctx)
    } catch (error) {
      const ms = performance.now() - started
      if (error instanceof McpError) {
        record(call, ms, requestId, 'PROTOCOL_ERROR', error.message)
        logger.warn({ tool: call.tool, operation: call.operation, ms: round(ms), code: error.code, err: error }, 'tool call refused')
        throw error
      }
      record(call, ms, requestId, INTERNAL, error instanceof Error ? error.message : String(error))
      logger.error({ tool: call.tool, operation: call.operation, ms: round(ms), err: error }, 'tool call failed')
      return internalError(requestId)
    }
    const ms = performance.now() - started
    if (result.isError) {
      const { code, message } = describeError(result)
      record(call, ms, requestId, code, message)
      logger.warn({ tool: call.tool, operation: call.operation, ms: round(ms), outcome: code }, 'tool call returned an error')
    } else {
      record(call, ms, requestId, undefined)
      logger.info({ tool: call.tool, operation: call.operation, ms: round(ms), outcome: 'ok' }, 'tool call')
    }
    return result
  }

  function record(call: ToolCall, ms: number, requestId: string, code: string | undefined, message?: string): void {
    metrics.toolCall(call.tool, call.operation, code ?? 'ok', ms / 1000)
    stats.recordTool(call.tool, call.operation, ms, requestId, code, message)
  }

  return (call, ctx) => {
    const requestId = ctx.requestId || currentRequestId() || newRequestId()
    if (currentRequestId() === requestId) return observed(call, ctx, requestId)
    const scoped = ctx.requestId === requestId ? ctx : { ...ctx, requestId }
    return runWithRequestId(requestId, () => observed(call, scoped, requestId))
  }
}

/** The tool error a thrown error becomes. */
export function internalError(requestId: string): CallToolResult {
  const error = {
    code: INTERNAL,
    message: `Internal error; quote request id "${requestId}" when reporting it`,
    requestId,
  }
  return {
    isError: true,
    content: [{ type: 'text', text: JSON.stringify({ error }) }],
    structuredContent: { error },
  }
}

// Tool errors carry `{ error: { code, message } }` in structured content; older shapes put the
// code at the top level. Anything else is counted as a generic ERROR.
function describeError(result: CallToolResult): { code: string, message: string } {
  const body = result.structuredContent as Record<string, unknown> | undefined
  const nested = body?.error as Record<string, unknown> | undefined
  const code = typeof nested?.code === 'string' ? nested.code : typeof body?.code === 'string' ? body.code : 'ERROR'
  const first = result.content?.[0]
  const text = first && first.type === 'text' ? first.text : ''
  const message = typeof nested?.message === 'string' ? nested.message : typeof body?.message === 'string' ? body.message : text
  return { code, message }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
