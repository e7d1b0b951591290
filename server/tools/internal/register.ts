/**
 * The glue between the SDK and our tools: every registered tool's handler turns the SDK call
 * into a `ToolCall` and hands it to the one `ToolInvoker` of the server (possibly wrapped by
 * observability), so there is exactly one place every call passes through.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { RequestContext, ToolCall, ToolInvoker } from '../../http/types.ts'
import type { ToolDefinition } from './defineTool.ts'

import { McpError } from '@modelcontextprotocol/sdk/types.js'

/** What the SDK hands a tool callback besides the arguments (the parts we read). */
export interface CallExtra {
  authInfo?: { token: string, extra?: Record<string, unknown> }
  sessionId?: string
}

/** What registering a tool needs. */
export interface ToolRegistrar {
  /** Registers one tool definition on a server. */
  register(server: McpServer, tool: ToolDefinition): void
}

/** Builds the registrar that routes every tool callback through `invoker`. */
export function createRegistrar(options: {
  invoker: ToolInvoker
  /** The caller's context for one call (from the HTTP layer's auth info, or the stdio caller). */
  resolveContext(extra: CallExtra): RequestContext
  /** Last resort for an error nothing else handled: an INTERNAL result, never a stack trace. */
  onUnexpected(error: unknown, call: ToolCall, ctx: RequestContext): CallToolResult
}): ToolRegistrar {
  return {
    register(server, tool) {
      server.registerTool(tool.name, {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.listedInput as never,
        outputSchema: tool.outputSchema,
      }, (async (args: Record<string, unknown> | undefined, extra: CallExtra) => {
        const ctx = options.resolveContext(extra)
        const input = args ?? {}
        const call: ToolCall = { tool: tool.name, operation: typeof input.operation === 'string' ? input.operation : '', args: input }
        try {
          return await options.invoker(call, ctx)
        } catch (error) {
          // Protocol-level refusals stay protocol errors; anything else is our bug, reported opaquely.
          if (error instanceof McpError) throw error
          return options.onUnexpected(error, call, ctx)
        }
      }) as never)
    },
  }
}
