import { describe, expect, test } from 'vitest'
import { createMetrics } from './metrics.ts'
import { sample } from './test/test-utils.ts'

describe('createMetrics', () => {
  test('each recording function shows up in the exposition', async () => {
    let sessions = 3
    const m = createMetrics({ defaultMetrics: false, liveSessions: () => sessions })
    m.toolCall('entity', 'read_entity', 'ok', 0.004)
    m.toolCall('entity', 'read_entity', 'ok', 0.02)
    m.toolCall('entity', 'read_entity', 'NOT_FOUND', 0.003)
    m.httpRequest('post', '/mcp', 200, 0.01)
    m.supabaseError('42501', 'rest')
    m.rateLimited('ip')
    m.rateLimited('ip')
    m.tokenRefreshed('ok')
    m.webhookDelivery('outbound', 'readiness_lost', 'retry')
    const text = await m.render()
    expect(sample(text, 'atoms_tool_calls_total', { tool: 'entity', operation: 'read_entity', outcome: 'ok' })).toBe(2)
    expect(sample(text, 'atoms_tool_calls_total', { outcome: 'NOT_FOUND' })).toBe(1)
    expect(sample(text, 'atoms_tool_call_duration_seconds_count', { tool: 'entity', outcome: 'ok' })).toBe(2)
    expect(sample(text, 'atoms_tool_call_duration_seconds_bucket', { outcome: 'ok', le: '0.005' })).toBe(1)
    expect(sample(text, 'atoms_tool_call_duration_seconds_count', { outcome: 'error' })).toBe(1)
    expect(sample(text, 'atoms_http_requests_total', { method: 'POST', route: '/mcp', status: '200' })).toBe(1)
    expect(sample(text, 'atoms_supabase_errors_total', { code: '42501', source: 'rest' })).toBe(1)
    expect(sample(text, 'atoms_rate_limited_total', { scope: 'ip' })).toBe(2)
    expect(sample(text, 'atoms_token_refreshes_total', { outcome: 'ok' })).toBe(1)
    expect(sample(text, 'atoms_webhook_deliveries_total', { direction: 'outbound', kind: 'readiness_lost', outcome: 'retry' })).toBe(1)
    expect(sample(text, 'atoms_live_sessions')).toBe(3)
    sessions = 5
    expect(sample(await m.render(), 'atoms_live_sessions')).toBe(5)
    expect(await m.liveSessions()).toBe(5)
    expect(text).not.toContain('process_cpu')
  })

  test('two instances in one process neither clash nor share counts', async () => {
    const a = createMetrics()
    const b = createMetrics()
    a.rateLimited('user')
    const [textA, textB] = await Promise.all([a.render(), b.render()])
    expect(sample(textA, 'atoms_rate_limited_total', { scope: 'user' })).toBe(1)
    expect(sample(textB, 'atoms_rate_limited_total', { scope: 'user' })).toBeUndefined()
    // default process metrics live in each instance's own registry
    expect(sample(textA, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0)
    expect(sample(textB, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0)
  })

  test('malformed or excess label values are folded into "other"', async () => {
    const m = createMetrics({ defaultMetrics: false, maxLabelValues: 2 })
    for (const scope of ['a', 'b', 'c', 'd', 'with space', 'a']) m.rateLimited(scope)
    const text = await m.render()
    expect(sample(text, 'atoms_rate_limited_total', { scope: 'a' })).toBe(2)
    expect(sample(text, 'atoms_rate_limited_total', { scope: 'b' })).toBe(1)
    expect(sample(text, 'atoms_rate_limited_total', { scope: 'other' })).toBe(3)
    expect(text).not.toContain('with space')
  })

  test('live-sessions source can be set after creation; without one the dashboard reads null', async () => {
    const m = createMetrics({ defaultMetrics: false })
    expect(await m.liveSessions()).toBeNull()
    m.setLiveSessions(async () => 7)
    expect(sample(await m.render(), 'atoms_live_sessions')).toBe(7)
  })
})
