/**
 * An msw network source for the global `fetch` that answers in process. msw's Node default
 * (`setupServer`) lets undici open a socket and intercepts at the socket, which costs real HTTP
 * framing and a cloned response stream on every call; this source hands each `fetch` to msw as a
 * frame and returns the handler's `Response` object as is. Handlers, matching and the
 * unhandled-request strategy stay msw's own (`defineNetwork` from `msw/experimental`).
 * @see https://mswjs.io/docs/api/setup-server
 */
import { HttpNetworkFrame, NetworkSource } from 'msw/experimental'

/** How msw settled one frame. */
type Outcome = { kind: 'respond', response: Response } | { kind: 'passthrough' } | { kind: 'error', reason: unknown }

/** One `fetch` call as msw sees it. */
class FetchFrame extends HttpNetworkFrame {
  outcome: Outcome | undefined

  constructor(request: Request) {
    super({ request })
  }

  respondWith(response?: Response): void {
    if (response) this.outcome ??= { kind: 'respond', response }
  }

  passthrough(): void {
    this.outcome ??= { kind: 'passthrough' }
  }

  errorWith(reason?: unknown): void {
    // msw answers a thrown Response with it (e.g. `Response.error()` from onUnhandledFrame).
    if (reason instanceof Response) return this.respondWith(reason)
    this.outcome ??= { kind: 'error', reason }
  }
}

/** Patches `globalThis.fetch` while enabled; every call becomes a frame for the network's handlers. */
export class GlobalFetchSource extends NetworkSource<FetchFrame> {
  #original: typeof fetch | undefined

  enable(): void {
    if (this.#original) return
    const original = globalThis.fetch
    this.#original = original
    globalThis.fetch = async (input, init) => {
      const request = new Request(input, init)
      const frame = new FetchFrame(request)
      await this.queue(frame)
      const outcome = frame.outcome ?? { kind: 'passthrough' }
      if (outcome.kind === 'passthrough') return original(request)
      // What `fetch` does with a network error: reject with a TypeError carrying the cause.
      if (outcome.kind === 'error') throw new TypeError('fetch failed', { cause: outcome.reason })
      if (outcome.response.type === 'error') throw new TypeError('fetch failed', { cause: outcome.response })
      // A fetched response knows its URL; a constructed one says "".
      if (!outcome.response.url) Object.defineProperty(outcome.response, 'url', { value: request.url })
      return outcome.response
    }
  }

  override disable(): void {
    super.disable()
    if (this.#original) globalThis.fetch = this.#original
    this.#original = undefined
  }
}
