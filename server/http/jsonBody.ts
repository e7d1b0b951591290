/**
 * The JSON body of an MCP POST, read once per request. The session layer needs to know whether a
 * request is a `tools/call` (its rate budget) before the MCP transport parses the same body;
 * cloning and parsing it twice cost more than the rest of the middleware. The first reader reads
 * it (with the SDK's size limit), later ones get the same result, and the MCP endpoint hands it
 * to the transport as `parsedBody`.
 */
import { DEFAULT_MAX_REQUEST_BODY_SIZE, readRequestBody } from '@modelcontextprotocol/sdk/server/requestBody.js'
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js'

/** What a request's body turned out to be. */
export type JsonBody =
  | { kind: 'json', value: unknown }
  /** Larger than the limit; nothing more was read. */
  | { kind: 'tooLarge', maxBytes: number }
  | { kind: 'invalid' }
  /** Not a POST with a JSON content type: left unread for whoever handles it. */
  | { kind: 'unread' }

const bodies = new WeakMap<Request, Promise<JsonBody>>()

/** The request's JSON body, read at most once whoever asks. */
export function jsonBodyOf(request: Request, maxBytes = DEFAULT_MAX_REQUEST_BODY_SIZE): Promise<JsonBody> {
  let body = bodies.get(request)
  if (!body) {
    body = readJson(request, maxBytes)
    bodies.set(request, body)
  }
  return body
}

async function readJson(request: Request, maxBytes: number): Promise<JsonBody> {
  // The transport's own test of the content type, so both agree on what is JSON.
  if (request.method !== 'POST' || !isJsonContentType(request.headers.get('content-type'))) return { kind: 'unread' }
  let read: Awaited<ReturnType<typeof readRequestBody>>
  try {
    read = await readBounded(request, maxBytes)
  } catch {
    return { kind: 'invalid' }
  }
  if (read.tooLarge) return { kind: 'tooLarge', maxBytes }
  try {
    return { kind: 'json', value: JSON.parse(read.text) as unknown }
  } catch {
    return { kind: 'invalid' }
  }
}

/**
 * The body as text, never more than `maxBytes`. With a declared length within the limit the
 * body is read whole with `text()`: on a served request node's parser stops at that length, and
 * @hono/node-server then reads the socket directly instead of building a web stream (a tenth of
 * a millisecond per MCP request). Without one, the SDK's reader counts bytes as they arrive.
 */
async function readBounded(request: Request, maxBytes: number): ReturnType<typeof readRequestBody> {
  const declared = request.headers.get('content-length')
  if (declared === null || !/^\d+$/.test(declared)) return readRequestBody(request, maxBytes)
  if (Number(declared) > maxBytes) return { tooLarge: true }
  const text = await request.text()
  // Only an in-process Request can carry more than it declares; refuse it all the same.
  return Buffer.byteLength(text) > maxBytes ? { tooLarge: true } : { tooLarge: false, text }
}
