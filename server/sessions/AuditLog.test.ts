import { describe, expect, test } from 'vitest'
import { AuditLog } from './AuditLog.ts'
import { FakeClock } from './clock.ts'
import { SessionInputError } from './errors.ts'
import { MemoryStore } from './storage/MemoryStore.ts'
import { AUDIT_ACTIONS } from './types.ts'

describe('AuditLog', () => {
  test('at least 25 distinct action types', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBeGreaterThanOrEqual(25)
  })

  test('records time, actor, subject, IP and reason; queries by every field, newest first', async () => {
    const clock = new FakeClock(1000)
    const log = new AuditLog({ store: new MemoryStore({ clock }), clock, maxEntries: 100, userMaxEntries: 100 })
    await log.record({ action: 'auth.login', subject: 'user:u1', reason: 'password', actor: 'user:u1', ip: '1.2.3.4', userId: 'u1', sessionId: 's1' })
    clock.advance(10)
    await log.record({ action: 'session.revoked', subject: 'session:s1', reason: 'admin', actor: 'admin:ops', userId: 'u1', sessionId: 's1' })
    clock.advance(10)
    await log.record({ action: 'rate.limited', subject: 'ip:5.6.7.8', reason: 'burst', ip: '5.6.7.8' })
    const all = await log.query()
    expect(all.map((e) => e.action)).toEqual(['rate.limited', 'session.revoked', 'auth.login'])
    expect(all[2]).toMatchObject({ at: 1000, actor: 'user:u1', subject: 'user:u1', ip: '1.2.3.4', reason: 'password' })
    expect((await log.query({ userId: 'u1' })).map((e) => e.action)).toEqual(['session.revoked', 'auth.login'])
    expect((await log.query({ action: ['auth.login', 'rate.limited'] })).length).toBe(2)
    expect((await log.query({ actor: 'admin:ops' }))[0]?.reason).toBe('admin')
    expect((await log.query({ since: 1010, until: 1020 })).map((e) => e.action)).toEqual(['session.revoked'])
    expect((await log.query({ subject: 'ip:5.6.7.8', limit: 1 }))).toHaveLength(1)
  })

  test('unknown actions and bad limits are input errors', async () => {
    const clock = new FakeClock()
    const log = new AuditLog({ store: new MemoryStore(), clock, maxEntries: 10, userMaxEntries: 10 })
    await expect(log.record({ action: 'nope' as 'auth.login', subject: 's', reason: 'r' })).rejects.toThrow(SessionInputError)
    await expect(log.query({ action: 'nope' as 'auth.login' })).rejects.toThrow(SessionInputError)
    await expect(log.query({ limit: 0 })).rejects.toThrow(SessionInputError)
  })
})
