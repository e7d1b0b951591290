import { describe, expect, test } from 'vitest'
import { runWithRequestId } from './correlation.ts'
import { createLogger } from './logger.ts'
import { captureLog } from './test/test-utils.ts'

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTEiLCJyb2xlIjoic2VydmljZV9yb2xlIn0.sig-nature_value'
const SECRETS = [JWT, 'anon-apikey-7f3a', 'pw-Correct-Horse', 'refresh-9b2c', 'svc-role-key-55', 'hunter2db', 'cookie-val-1', 'sb_secret_ZZZ999xyz']

describe('createLogger', () => {
  test('no secret, token or Authorization value reaches the destination, in any position', () => {
    const log = captureLog()
    const logger = createLogger({ destination: log.stream, level: 'trace', base: { service: 'atoms-mcp' } })
    logger.info({ headers: { authorization: `Bearer ${JWT}`, apikey: 'anon-apikey-7f3a', cookie: 'cookie-val-1' } }, 'incoming request')
    logger.info({ body: { email: 'a@b.test', password: 'pw-Correct-Horse', grant_type: 'refresh_token', refresh_token: 'refresh-9b2c' } }, 'token call')
    logger.warn({ env: { SUPABASE_SERVICE_ROLE_KEY: 'svc-role-key-55' } }, 'config')
    logger.error(new Error('connect to postgres://postgres:hunter2db@127.0.0.1/postgres failed'))
    logger.error({ err: Object.assign(new Error('upstream refused'), { response: { headers: { Authorization: `Bearer ${JWT}` } } }) }, 'call failed')
    logger.info(`message text carrying Bearer ${JWT} and sb_secret_ZZZ999xyz`)
    logger.child({ apikey: 'anon-apikey-7f3a' }).info('child line')
    logger.debug({ list: [{ deep: { access_token: JWT } }] }, 'nested')

    const text = log.text()
    for (const secret of SECRETS) expect(text, `leaked "${secret}"`).not.toContain(secret)
    const lines = log.lines()
    expect(lines).toHaveLength(8)
    expect(lines[0]!.headers).toEqual({ authorization: '[REDACTED]', apikey: '[REDACTED]', cookie: '[REDACTED]' })
    expect(lines[1]!.body).toEqual({ email: 'a@b.test', password: '[REDACTED]', grant_type: 'refresh_token', refresh_token: '[REDACTED]' })
    expect(lines[3]!.err.type).toBe('Error')
    expect(lines[3]!.msg).toContain('postgres://postgres:[REDACTED]@127.0.0.1')
    expect(lines[5]!.msg).toBe('message text carrying Bearer [REDACTED] and [REDACTED]')
    expect(lines.every((l) => l.service === 'atoms-mcp' && typeof l.time === 'string')).toBe(true)
  })

  test('every line inside a correlation scope carries its requestId', async () => {
    const log = captureLog()
    const logger = createLogger({ destination: log.stream })
    logger.info('outside')
    await runWithRequestId('req-42', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      logger.info({ step: 1 }, 'inside')
    })
    const [outside, inside] = log.lines()
    expect(outside!.requestId).toBeUndefined()
    expect(inside).toMatchObject({ requestId: 'req-42', step: 1, level: 'info', msg: 'inside' })
  })

  test('respects the level', () => {
    const log = captureLog()
    const logger = createLogger({ destination: log.stream, level: 'warn' })
    logger.info('hidden')
    logger.warn('shown')
    expect(log.lines().map((l) => l.msg)).toEqual(['shown'])
  })
})
