/**
 * `createServer(deps)`: builds the Atoms MCP server — five tools, 27 operations — without side
 * effects (no network, no timers), so a transport can make one per connection or per request.
 * Every tool call goes through one `ToolInvoker`, which `deps.wrapInvoker` may wrap once
 * (observability) for all tools alike.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { RequestContext, ToolInvoker } from './http/types.ts'
import type { SupabaseTarget } from './data/client.ts'
import type { ServerLogger } from './logging.ts'
import type { CallExtra } from './tools/index.ts'

import { randomUUID } from 'node:crypto'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv'
import { BackgroundWork } from './background.ts'
import { UserClientCache } from './data/client.ts'
import { stderrLogger } from './logging.ts'
import {
  TOOLS, createBaseInvoker, createRegistrar, registerEntityTool, registerQueryTool, registerRelationshipTool,
  registerWorkflowTool, registerWorkspaceTool, subjectOf,
} from './tools/index.ts'

/** Name and version the server announces. */
export const SERVER_INFO = { name: 'atoms-mcp', version: '0.1.0' } as const

/** What the server needs. Long-lived pieces (client cache, background work) may be shared. */
export interface ServerDeps {
  /** The Supabase project (URL, anon key, optional fetch). */
  supabase: SupabaseTarget
  /** The caller when the transport carries none (stdio): its token and, when verified, its id. */
  caller?: { accessToken: string, userId?: string }
  /** Wraps the one invoker every tool call goes through (observability). */
  wrapInvoker?: (invoker: ToolInvoker) => ToolInvoker
  /** Per-token supabase-js clients; share one across per-request servers. */
  clients?: UserClientCache
  /** Runs that outlive a call; share one so a shutdown can wait for them. */
  background?: BackgroundWork
  logger?: ServerLogger
}

/** Builds the invoker every tool call of a server goes through (wrapped when asked). */
export function createInvoker(deps: ServerDeps): ToolInvoker {
  const logger = deps.logger ?? stderrLogger()
  const clients = deps.clients ?? new UserClientCache(deps.supabase)
  const background = deps.background ?? new BackgroundWork(logger)
  let invoker: ToolInvoker
  const base = createBaseInvoker({
    tools: TOOLS,
    clientFor: (token) => clients.get(token),
    self: () => invoker,
    background: (work) => background.track(work),
  })
  invoker = deps.wrapInvoker ? deps.wrapInvoker(base) : base
  return invoker
}

/**
 * One JSON Schema validator for every server: each SDK server otherwise builds its own Ajv
 * instance (formats, meta-schemas), the costliest step of a per-request server.
 */
const SHARED_VALIDATOR = new AjvJsonSchemaValidator()

/** Builds the MCP server with the five tools registered. */
export function createServer(deps: ServerDeps): McpServer {
  const logger = deps.logger ?? stderrLogger()
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: {} },
    jsonSchemaValidator: SHARED_VALIDATOR,
    instructions: 'Atoms requirements management. Start with workspace.list_workspaces, then list_projects; entity covers every row type; relationship links them; query searches and exports; workflow stores and runs multi-step jobs. Every tool takes an "operation" field.',
  })
  const registrar = createRegistrar({
    invoker: createInvoker({ ...deps, logger }),
    resolveContext: (extra) => resolveContext(extra, deps),
    onUnexpected(error, call, ctx) {
      logger.error({ err: error, tool: call.tool, operation: call.operation, requestId: ctx.requestId }, 'tool call failed')
      return internalResult(ctx.requestId)
    },
  })
  registerWorkspaceTool(server, registrar)
  registerEntityTool(server, registrar)
  registerRelationshipTool(server, registrar)
  registerWorkflowTool(server, registrar)
  registerQueryTool(server, registrar)
  return server
}

// HTTP puts the verified caller in the auth info; stdio has one fixed caller.
function resolveContext(extra: CallExtra, deps: ServerDeps): RequestContext {
  const fromTransport = extra.authInfo?.extra?.requestContext as RequestContext | undefined
  if (fromTransport) return fromTransport
  const base = { requestId: randomUUID(), ip: 'local', ...(extra.sessionId ? { sessionId: extra.sessionId } : {}) }
  if (extra.authInfo?.token) {
    const userId = typeof extra.authInfo.extra?.userId === 'string' ? extra.authInfo.extra.userId : subjectOf(extra.authInfo.token)
    return { ...base, accessToken: extra.authInfo.token, ...(userId ? { userId } : {}) }
  }
  if (deps.caller) return { ...base, ip: 'stdio', accessToken: deps.caller.accessToken, ...(deps.caller.userId ? { userId: deps.caller.userId } : {}) }
  return base
}

function internalResult(requestId: string): CallToolResult {
  const error = { code: 'INTERNAL', message: `Internal error; quote request id "${requestId}" when reporting it`, requestId }
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error }) }], structuredContent: { error } }
}
