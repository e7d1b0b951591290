/**
 * Which MCP transports the flows run over, known when the file is collected (before any
 * fixture exists): the same list `transportsFor(backend)` gives inside a test. Every flow's
 * first step checks that the two agree, so this list cannot drift from the fixture's.
 */
import type { McpTransport } from '../../../fixtures/index.ts'
import { currentMode } from '../../../fixtures/index.ts'

/**
 * dry: the server in this process over the in-memory pair (msw still answers its supabase-js);
 * cold: a spawned `atoms-mcp` over stdio and Streamable HTTP; hot: stdio only, because the HTTP
 * transport verifies bearer tokens with the JWT secret, which a live project does not share.
 */
export function flowTransports(): McpTransport[] {
  const mode = currentMode()
  if (mode === 'dry') return ['memory']
  if (mode === 'cold') return ['stdio', 'http']
  return ['stdio']
}
