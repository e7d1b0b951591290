/**
 * The floor of any server between a client and Supabase: a bare HTTP forwarder, run as its own
 * process by `bench/server.ts`. Each request goes to the target unchanged with one `fetch` (the
 * same client the server's supabase-js uses) and the answer comes back unchanged — no MCP, no
 * token check, no logging. A supabase-js client pointed at it makes "the direct call plus one
 * process in between", which is what the MCP path is before the server does any work of its own.
 * Run: node bench/bareProxy.ts <target url>   (prints "bare proxy listening on <url>")
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

import { createServer } from 'node:http'

// Hop-by-hop headers and those fetch sets itself; everything else passes through.
const DROPPED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding'])

async function forward(target: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (!DROPPED.has(name) && value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  const upstream = await fetch(`${target}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
  })
  const body = Buffer.from(await upstream.arrayBuffer())
  const out: Record<string, string> = {}
  upstream.headers.forEach((value, name) => {
    if (!DROPPED.has(name)) out[name] = value
  })
  res.writeHead(upstream.status, out).end(body)
}

const target = process.argv[2]?.replace(/\/$/, '')
if (!target) {
  process.stderr.write('usage: node bench/bareProxy.ts <target url>\n')
  process.exit(2)
}
const server = createServer((req, res) => {
  forward(target, req, res).catch((error: unknown) => {
    res.writeHead(502, { 'content-type': 'text/plain' }).end(`bare proxy: ${error instanceof Error ? error.message : String(error)}`)
  })
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address && typeof address === 'object') process.stdout.write(`bare proxy listening on http://127.0.0.1:${address.port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
