/**
 * DNS-rebinding protection for the HTTP transport, on by default: the `Host` header must be one
 * of the allowed hosts and an `Origin` header, when a browser sends one, one of the allowed
 * origins. Otherwise a web page on another site could reach a server listening on localhost
 * through a hostname it controls.
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#security-warning
 */
import type { Middleware } from './types.ts'

/** What the guard accepts. */
export interface HostGuardOptions {
  allowedHosts: string[]
  allowedOrigins: string[]
}

/** The hosts and origins a server on `host:port` accepts by default: itself under its loopback names. */
export function defaultAllowed(host: string, port: number): HostGuardOptions {
  const names = new Set([host, '127.0.0.1', 'localhost', '[::1]'])
  // A wildcard bind address is not a name clients use.
  names.delete('0.0.0.0')
  names.delete('::')
  const hosts = [...names].map((n) => `${n}:${port}`)
  return { allowedHosts: hosts, allowedOrigins: hosts.flatMap((h) => [`http://${h}`, `https://${h}`]) }
}

/** Refuses requests whose Host or Origin is not allowed (403, JSON-RPC error body). */
export function hostGuard(options: HostGuardOptions): Middleware {
  const hosts = new Set(options.allowedHosts.map((h) => h.toLowerCase()))
  const origins = new Set(options.allowedOrigins.map((o) => o.toLowerCase().replace(/\/+$/, '')))
  return (next) => async (request, ctx) => {
    const host = (request.headers.get('host') ?? new URL(request.url).host).toLowerCase()
    if (!hosts.has(host)) return refuse(`Host "${host}" is not allowed; add it to ATOMS_MCP_ALLOWED_HOSTS`)
    const origin = request.headers.get('origin')
    if (origin !== null && !origins.has(origin.toLowerCase())) return refuse(`Origin "${origin}" is not allowed; add it to ATOMS_MCP_ALLOWED_ORIGINS`)
    return next(request, ctx)
  }
}

function refuse(message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { status: 403 })
}
