/**
 * The dry-mode adapter: the emulator as msw request handlers, so supabase-js talks to it inside
 * the test process with no socket. A request to any other origin is a stray: it fails (the
 * client sees a network error) and is recorded, so the harness can fail the test loudly.
 *
 * The network is msw's `defineNetwork` with two sources: `GlobalFetchSource` for `fetch` (what
 * supabase-js and the MCP SDK use; answered in process) and msw's own interceptor for
 * `http.request` (so a stray through node:http fails loudly too).
 * @see https://mswjs.io/docs/api/setup-server
 */
import type { HttpHandler } from 'msw'
import type { NetworkApi } from 'msw/experimental'
import type { Emulator } from './core.ts'
import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest'
import { http } from 'msw'
import { InterceptorSource, defineNetwork } from 'msw/experimental'
import { logError } from './errors.ts'
import { GlobalFetchSource } from './mswFetchSource.ts'

/** msw handlers answering every request under `baseUrl` from the emulator. */
export function emulatorHandlers(emulator: Emulator, baseUrl: string): HttpHandler[] {
  const base = baseUrl.replace(/\/+$/, '')
  return [http.all(`${base}/*`, ({ request }) => emulator.handle(request))]
}

/** A request that reached no handler. */
export interface StrayRequest {
  method: string
  url: string
}

/** A request went to an origin the emulator does not serve while msw was on. */
export class StrayRequestError extends Error {
  override name = 'StrayRequestError'
  readonly code = 'STRAY_REQUEST'
  readonly requests: StrayRequest[]
  constructor(requests: StrayRequest[]) {
    const list = requests.map((r) => `"${r.method} ${r.url}"`).join(', ')
    super(
      `${requests.length} request(s) left the emulator in dry mode: ${list}. ` +
        'Point the client at the emulator URL, or run the test in a mode with network access.',
    )
    this.requests = requests
  }
}

type MswNetwork = NetworkApi<[GlobalFetchSource, InterceptorSource]>

/** An msw network answering from the emulator. */
export interface MswEmulator {
  /** The msw network (`use`, `resetHandlers`, `events`, …). */
  network: MswNetwork
  /** The origin the handlers serve. */
  baseUrl: string
  /** Requests that reached no handler since the start (or the last `takeStrays`). */
  readonly strays: readonly StrayRequest[]
  /** Returns and forgets the recorded stray requests. */
  takeStrays(): StrayRequest[]
  /** Throws `StrayRequestError` when a stray request was recorded (and forgets them). */
  assertNoStrays(): void
  /** Stops intercepting. */
  close(): void
}

/**
 * Starts an msw network with the emulator's handlers under `baseUrl`. Unhandled requests error,
 * like msw's `onUnhandledFrame: 'error'`, and are recorded.
 * @note msw patches the process's `fetch`/`http`: close it before serving the same origin over HTTP.
 */
export function startMsw(emulator: Emulator, baseUrl: string): MswEmulator {
  const base = baseUrl.replace(/\/+$/, '')
  let strays: StrayRequest[] = []
  emulator.ctx.baseUrl = base
  const network: MswNetwork = defineNetwork({
    sources: [new GlobalFetchSource(), new InterceptorSource({ interceptors: [new ClientRequestInterceptor()] })],
    handlers: emulatorHandlers(emulator, base),
    context: { quiet: true },
    onUnhandledFrame: ({ frame }) => {
      const stray = describeFrame(frame)
      strays.push(stray)
      logError(`stray request "${stray.method} ${stray.url}": dry mode serves only "${base}".`)
      // msw answers a thrown Response with it; `Response.error()` is a network error to the client.
      throw Response.error()
    },
  })
  network.enable()
  return {
    network,
    baseUrl: base,
    get strays() {
      return strays
    },
    takeStrays() {
      const taken = strays
      strays = []
      return taken
    },
    assertNoStrays() {
      const taken = this.takeStrays()
      if (taken.length > 0) throw new StrayRequestError(taken)
    },
    close: () => void network.disable(),
  }
}

/** Method and URL of an unhandled frame (an HTTP request, or a WebSocket connection). */
function describeFrame(frame: { protocol?: string; data?: unknown }): StrayRequest {
  const data = frame.data as { request?: Request; connection?: { client?: { url?: URL } } } | undefined
  if (data?.request) return { method: data.request.method, url: redactKey(data.request.url) }
  return { method: 'WEBSOCKET', url: String(data?.connection?.client?.url ?? 'unknown') }
}

/** The URL with an `apikey` query parameter masked: strays are logged, and keys are secrets. */
function redactKey(url: string): string {
  return url.replace(/([?&]apikey=)[^&#]*/gi, '$1***')
}
