/** Shared helpers of the observability behaviour tests: log capture and loopback servers. */
import type { AddressInfo } from 'node:net'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Served } from '../../test/serveFetch.ts'

import { createServer } from 'node:http'
import { Writable } from 'node:stream'

/** A pino destination that keeps every line in memory. */
export interface CapturedLog {
  stream: Writable
  /** Everything written, as one string. */
  text(): string
  /** Every line parsed as JSON. */
  lines(): Array<Record<string, any>>
}

/** Creates a {@link CapturedLog}. */
export function captureLog(): CapturedLog {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  const text = () => chunks.join('')
  return {
    stream,
    text,
    lines: () => text().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>),
  }
}

export { serveFetch } from '../../test/serveFetch.ts'
export type { Served }

/** One request a {@link recordingServer} received. */
export interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/** A plain `node:http` server that records requests and lets the test decide each answer. */
export async function recordingServer(
  answer: (request: Received, index: number, response: ServerResponse) => void,
): Promise<Served & { received: Received[] }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() }
      received.push(entry)
      answer(entry, received.length - 1, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections()
      server.close(() => done())
    }),
  }
}

/** Reads one sample of a Prometheus text exposition, or undefined when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (.+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3])
  }
  return undefined
}
