/**
 * The shapes every layer of the server's HTTP side agrees on: fetch-style handlers
 * (`Request` in, `Response` out) composed by middleware, served by `@hono/node-server`.
 * Sessions, observability and the MCP transport all plug in here.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'

/** Per-request facts gathered by middleware, visible to every later layer. */
export interface RequestContext {
  /** Correlation id: from `x-request-id` / `traceparent`, else generated. */
  requestId: string
  /** Remote address as seen by the socket (or a trusted proxy header). */
  ip: string
  /** Supabase access token of the caller, once authentication has run. */
  accessToken?: string
  /** `sub` of the verified access token. */
  userId?: string
  /** Session id from the session manager, once a session is bound. */
  sessionId?: string
}

/** A fetch-style request handler. */
export type FetchHandler = (request: Request, ctx: RequestContext) => Promise<Response>

/** Wraps a handler; applied outermost-first by `compose`. */
export type Middleware = (next: FetchHandler) => FetchHandler

/** One tool invocation as the server dispatches it. */
export interface ToolCall {
  tool: string
  operation: string
  args: Record<string, unknown>
}

/** Runs a tool call for a caller; every tool handler is reached through one of these. */
export type ToolInvoker = (call: ToolCall, ctx: RequestContext) => Promise<CallToolResult>

/** Compose middleware so that the first one listed is the outermost. */
export function compose(handler: FetchHandler, ...middleware: Middleware[]): FetchHandler {
  return middleware.reduceRight((next, wrap) => wrap(next), handler)
}
