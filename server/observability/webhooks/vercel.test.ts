import type { DeploymentEvent } from './vercel.ts'

import { describe, expect, test } from 'vitest'
import { createLogger } from '../logger.ts'
import { createMetrics } from '../metrics.ts'
import { captureLog, sample } from '../test/test-utils.ts'
import { signVercelBody, verifyVercelSignature, vercelWebhookHandler } from './vercel.ts'

const SECRET = 'whsec-test-1'
const EVENT = {
  id: 'evt_1',
  type: 'deployment.succeeded',
  createdAt: Date.parse('2030-01-02T03:04:05Z'),
  payload: { deployment: { id: 'dpl_9', url: 'atoms-abc.vercel.app', name: 'atoms' }, target: 'production', project: { id: 'prj_1' } },
}

function setup(secret: string | undefined = SECRET) {
  const events: DeploymentEvent[] = []
  const log = captureLog()
  const metrics = createMetrics({ defaultMetrics: false })
  const handle = vercelWebhookHandler({ secret, logger: createLogger({ destination: log.stream }), metrics, onEvent: (e) => void events.push(e), maxBytes: 4096 })
  const post = (body: string, headers: Record<string, string> = {}) =>
    handle(new Request('http://x/webhooks/vercel', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }))
  return { events, log, metrics, post }
}

describe('verifyVercelSignature', () => {
  const body = new TextEncoder().encode('{"a":1}')
  const good = signVercelBody(body, SECRET)
  test('accepts the hex HMAC-SHA1 of the raw body, in either case', () => {
    expect(good).toMatch(/^[0-9a-f]{40}$/)
    expect(verifyVercelSignature(body, good, SECRET)).toBe(true)
    expect(verifyVercelSignature(body, good.toUpperCase(), SECRET)).toBe(true)
  })
  test.each([
    ['missing', null],
    ['empty', ''],
    ['other secret', signVercelBody(body, 'other')],
    ['truncated', good.slice(0, 39)],
    ['sha256 length', 'a'.repeat(64)],
    ['not hex', 'z'.repeat(40)],
  ])('refuses %s', (_name, signature) => {
    expect(verifyVercelSignature(body, signature, SECRET)).toBe(false)
  })
})

describe('vercelWebhookHandler', () => {
  test('a signed event is accepted and recorded', async () => {
    const { events, metrics, post } = setup()
    const body = JSON.stringify(EVENT)
    const response = await post(body, { 'x-vercel-signature': signVercelBody(body, SECRET) })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ received: true, id: 'evt_1' })
    expect(events).toEqual([expect.objectContaining({
      id: 'evt_1', type: 'deployment.succeeded', createdAt: '2030-01-02T03:04:05.000Z',
      deploymentId: 'dpl_9', url: 'atoms-abc.vercel.app', name: 'atoms', target: 'production', projectId: 'prj_1',
    })])
    expect(sample(await metrics.render(), 'atoms_webhook_deliveries_total', { direction: 'inbound', outcome: 'accepted' })).toBe(1)
  })

  test.each([
    ['missing signature', (_b: string) => ({})],
    ['wrong secret', (b: string) => ({ 'x-vercel-signature': signVercelBody(b, 'not-the-secret') })],
    ['signature of another body', (_b: string) => ({ 'x-vercel-signature': signVercelBody('{}', SECRET) })],
  ])('%s -> 401 and nothing recorded', async (_name, headers) => {
    const { events, log, metrics, post } = setup()
    const body = JSON.stringify(EVENT)
    const response = await post(body, headers(body))
    expect(response.status).toBe(401)
    expect((await response.json()).error.code).toBe('INVALID_SIGNATURE')
    expect(events).toEqual([])
    expect(log.text()).not.toContain('evt_1')
    expect(sample(await metrics.render(), 'atoms_webhook_deliveries_total', { outcome: 'accepted' })).toBeUndefined()
  })

  test('a body changed after signing is refused', async () => {
    const { events, post } = setup()
    const body = JSON.stringify(EVENT)
    const signature = signVercelBody(body, SECRET)
    const response = await post(body.replace('production', 'preview'), { 'x-vercel-signature': signature })
    expect(response.status).toBe(401)
    expect(events).toEqual([])
  })

  test('oversized, unparsable and shapeless bodies are refused', async () => {
    const { events, post } = setup()
    const big = JSON.stringify({ ...EVENT, pad: 'x'.repeat(5000) })
    expect((await post(big, { 'x-vercel-signature': signVercelBody(big, SECRET) })).status).toBe(413)
    const broken = '{"id":'
    expect((await post(broken, { 'x-vercel-signature': signVercelBody(broken, SECRET) })).status).toBe(400)
    const shapeless = '{"hello":"world"}'
    const response = await post(shapeless, { 'x-vercel-signature': signVercelBody(shapeless, SECRET) })
    expect(response.status).toBe(400)
    expect((await response.json()).error.message).toContain('"id" and "type"')
    expect(events).toEqual([])
  })

  test('without a secret the route is off (404) whatever is sent', async () => {
    const { events, post } = setup('')
    const body = JSON.stringify(EVENT)
    expect((await post(body, { 'x-vercel-signature': signVercelBody(body, '') })).status).toBe(404)
    expect(events).toEqual([])
  })
})
