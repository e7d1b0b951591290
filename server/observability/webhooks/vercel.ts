/**
 * Inbound Vercel deployment webhooks. Vercel signs the raw body with HMAC-SHA1 under the
 * webhook's secret and sends the hex digest as `x-vercel-signature`; anything that does not
 * verify is refused with 401 before the body is even parsed, and nothing is recorded.
 * @see https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks
 */
import type { Logger } from 'pino'
import type { Metrics } from '../metrics.ts'

import { createHmac, timingSafeEqual } from 'node:crypto'

/** One accepted deployment event, as kept for the dashboard. */
export interface DeploymentEvent {
  /** Vercel's event id. */
  id: string
  /** e.g. `deployment.created`, `deployment.succeeded`, `deployment.error`. */
  type: string
  /** When Vercel created the event (ISO). */
  createdAt: string
  receivedAt: string
  deploymentId?: string
  url?: string
  name?: string
  target?: string
  projectId?: string
}

/** Options of {@link vercelWebhookHandler}. */
export interface VercelWebhookOptions {
  /** The webhook's secret; without it the route answers 404. */
  secret: string | undefined
  logger: Logger
  metrics: Metrics
  /** Receives every verified event. */
  onEvent: (event: DeploymentEvent) => void | Promise<void>
  /** Largest body accepted. Default 1 MiB. */
  maxBytes?: number
}

const SHA1_HEX = /^[0-9a-f]{40}$/i

/** True when `signature` is the hex HMAC-SHA1 of `rawBody` under `secret` (constant-time compare). */
export function verifyVercelSignature(rawBody: Uint8Array, signature: string | null | undefined, secret: string): boolean {
  if (!signature || !SHA1_HEX.test(signature.trim())) return false
  const expected = createHmac('sha1', secret).update(rawBody).digest()
  const given = Buffer.from(signature.trim(), 'hex')
  return given.length === expected.length && timingSafeEqual(expected, given)
}

/** The hex signature Vercel would send for `rawBody` (used by tests and local tooling). */
export function signVercelBody(rawBody: string | Uint8Array, secret: string): string {
  return createHmac('sha1', secret).update(rawBody).digest('hex')
}

/** The `POST /webhooks/vercel` handler. */
export function vercelWebhookHandler(options: VercelWebhookOptions): (request: Request) => Promise<Response> {
  const { logger, metrics, secret } = options
  const maxBytes = options.maxBytes ?? 1024 * 1024
  return async (request) => {
    if (!secret) return problem(404, 'NOT_CONFIGURED', 'Vercel webhooks are not enabled; set "VERCEL_WEBHOOK_SECRET" to enable them')
    const raw = await readLimited(request, maxBytes)
    if (raw === undefined) {
      metrics.webhookDelivery('inbound', 'vercel', 'too_large')
      return problem(413, 'TOO_LARGE', `Webhook body exceeds ${maxBytes} bytes`)
    }
    if (!verifyVercelSignature(raw, request.headers.get('x-vercel-signature'), secret)) {
      metrics.webhookDelivery('inbound', 'vercel', 'unauthorized')
      logger.warn({ webhook: 'vercel' }, 'webhook signature missing or invalid')
      return problem(401, 'INVALID_SIGNATURE', 'Missing or invalid "x-vercel-signature"; check the webhook secret')
    }
    let event: DeploymentEvent
    try {
      event = toEvent(JSON.parse(new TextDecoder().decode(raw)))
    } catch (error) {
      metrics.webhookDelivery('inbound', 'vercel', 'invalid')
      return problem(400, 'INVALID_BODY', error instanceof Error ? error.message : 'Body is not a Vercel webhook event')
    }
    await options.onEvent(event)
    metrics.webhookDelivery('inbound', 'vercel', 'accepted')
    logger.info({ webhook: 'vercel', type: event.type, eventId: event.id, deploymentId: event.deploymentId }, 'deployment webhook')
    return Response.json({ received: true, id: event.id })
  }
}

function toEvent(body: unknown): DeploymentEvent {
  const b = body as Record<string, any> | null
  if (!b || typeof b !== 'object' || typeof b.type !== 'string' || typeof b.id !== 'string') {
    throw new TypeError('Body is not a Vercel webhook event: "id" and "type" strings are required')
  }
  const payload = (typeof b.payload === 'object' && b.payload) || {}
  const deployment = (typeof payload.deployment === 'object' && payload.deployment) || {}
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, 500) : undefined)
  return {
    id: b.id.slice(0, 200),
    type: b.type.slice(0, 100),
    createdAt: new Date(typeof b.createdAt === 'number' ? b.createdAt : Date.now()).toISOString(),
    receivedAt: new Date().toISOString(),
    deploymentId: text(deployment.id),
    url: text(deployment.url),
    name: text(deployment.name),
    target: text(payload.target),
    projectId: text(payload.project?.id),
  }
}

async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) return undefined
  if (!request.body) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = request.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

function problem(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status })
}
