/**
 * The `/mcp` endpoint: MCP Streamable HTTP in stateless mode, on the SDK's web-standard
 * transport. Every POST gets its own server and transport (`createServer` is cheap), so nothing
 * about a caller outlives the request and any instance behind a load balancer can answer any
 * request. The verified caller travels to the tools in the transport's auth info.
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#streamable-http
 */
import type { ServerDeps } from '../createServer.ts'
import type { FetchHandler } from './types.ts'

import { requestBodyTooLargeMessage } from '@modelcontextprotocol/sdk/server/requestBody.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { createServer } from '../createServer.ts'
import { jsonBodyOf } from './jsonBody.ts'

/** The handler of `/mcp`; expects authentication to have run (ctx.accessToken, ctx.userId). */
export function mcpEndpoint(deps: Omit<ServerDeps, 'caller'>): FetchHandler {
  return async (request, ctx) => {
    // Stateless: there is no server-initiated stream to GET and no session to DELETE.
    if (request.method !== 'POST') {
      return Response.json(
        { jsonrpc: '2.0', error: { code: -32000, message: `Method ${request.method} not allowed: this server is stateless, send JSON-RPC with POST` }, id: null },
        { status: 405, headers: { Allow: 'POST' } },
      )
    }
    // Read once (the session layer may have already): the transport gets it parsed.
    const body = await jsonBodyOf(request)
    if (body.kind === 'tooLarge') return rpcError(413, -32000, requestBodyTooLargeMessage(body.maxBytes))
    if (body.kind === 'invalid') return rpcError(400, -32700, 'Parse error: Invalid JSON')
    const server = createServer(deps)
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    await server.connect(transport)
    // No close afterwards: JSON mode answers only once every response is in, after which the
    // pair holds no stream, timer or socket and is simply dropped. Closing would abort the
    // handlers' already finished signals and build a "Connection closed" error per request.
    return transport.handleRequest(request, {
      authInfo: {
        token: ctx.accessToken ?? '',
        clientId: ctx.userId ?? 'anonymous',
        scopes: [],
        extra: { requestContext: ctx, userId: ctx.userId },
      },
      ...(body.kind === 'json' ? { parsedBody: body.value } : {}),
    })
  }
}

/** A JSON-RPC error answer, shaped as the SDK's transport shapes its own. */
function rpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status })
}
