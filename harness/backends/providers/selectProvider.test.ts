import type { DatabaseProvider, ProbeResult, ProviderName } from './types.ts'
import { describe, expect, test } from 'vitest'
import { NoProviderError, coldProviders, databaseUrlProvider, initdbProvider, selectProvider, testcontainersProvider } from './index.ts'

const fake = (name: ProviderName, result: ProbeResult): DatabaseProvider => ({
  name,
  probe: async () => result,
  start: async () => {
    throw new Error('not started in this test')
  },
})

describe('selectProvider', () => {
  test('takes the first provider that answers and says why earlier ones were skipped', async () => {
    const choice = await selectProvider([
      fake('testcontainers', { ok: false, reason: 'no Docker engine answers' }),
      fake('database-url', { ok: false, reason: 'DATABASE_URL is not set' }),
      fake('initdb', { ok: true }),
      fake('pglite', { ok: true }),
    ])
    expect(choice.provider.name).toBe('initdb')
    expect(choice.skipped).toEqual([
      { name: 'testcontainers', reason: 'no Docker engine answers' },
      { name: 'database-url', reason: 'DATABASE_URL is not set' },
    ])
  })

  test('falls through to PGlite when nothing else answers', async () => {
    const choice = await selectProvider([
      fake('testcontainers', { ok: false, reason: 'x' }),
      fake('database-url', { ok: false, reason: 'y' }),
      fake('initdb', { ok: false, reason: 'z' }),
      fake('pglite', { ok: true }),
    ])
    expect(choice.provider.name).toBe('pglite')
  })

  test('a named provider is used alone, and an unknown name is refused', async () => {
    const chain = [fake('initdb', { ok: true }), fake('pglite', { ok: true })]
    expect((await selectProvider(chain, 'pglite')).provider.name).toBe('pglite')
    await expect(selectProvider(chain, 'testcontainers')).rejects.toBeInstanceOf(NoProviderError)
  })

  test('when none answers the error lists every reason', async () => {
    await expect(selectProvider([fake('initdb', { ok: false, reason: 'initdb missing' })])).rejects.toThrow(/initdb \(initdb missing\)/)
  })
})

describe('the real probes', () => {
  test('testcontainers is skipped when the engine does not answer', async () => {
    const provider = testcontainersProvider({}, async () => {
      throw new Error('Could not find a working container runtime strategy')
    })
    expect(await provider.probe()).toEqual({
      ok: false,
      reason: 'no Docker engine answers (Could not find a working container runtime strategy)',
    })
    expect((await testcontainersProvider({}, async () => undefined).probe()).ok).toBe(true)
  })

  test('DATABASE_URL: unset, set and answering, set and dead', async () => {
    expect(await databaseUrlProvider({}).probe()).toEqual({ ok: false, reason: 'DATABASE_URL is not set' })
    const live = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
    expect(await databaseUrlProvider({ DATABASE_URL: live }).probe()).toEqual({ ok: true })
    const dead = await databaseUrlProvider({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres' }).probe()
    expect(dead.ok).toBe(false)
  })

  test('initdb: found on PATH here, refused when the binaries are missing', async () => {
    expect(await initdbProvider().probe()).toEqual({ ok: true })
    const missing = await initdbProvider({ binDir: '/nonexistent/bin' }).probe()
    expect(missing).toMatchObject({ ok: false })
    expect((missing as { reason: string }).reason).toMatch(/^initdb\/pg_ctl not runnable/)
  })

  test('the cold chain order is testcontainers, DATABASE_URL, initdb, PGlite', () => {
    expect(coldProviders({}).map((p) => p.name)).toEqual(['testcontainers', 'database-url', 'initdb', 'pglite'])
  })
})
