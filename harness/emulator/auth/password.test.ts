import type { SqlSession } from '../../sql/index.ts'
import { describe, expect, test } from 'vitest'
import { UnsupportedPasswordHashError, hashPassword, verifyPassword } from './password.ts'

// scrypt hashes never reach the database; a session that fails proves it is not used.
const unused: SqlSession = {
  query: () => Promise.reject(new Error('the database is not needed for scrypt hashes')),
  exec: () => Promise.reject(new Error('the database is not needed for scrypt hashes')),
}

describe('password hashes', () => {
  test('a scrypt hash names its cost, is salted, and verifies only its password', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse', 10), hashPassword('correct horse', 10)])
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[\w-]+\$[\w-]+$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse', a, unused)).toBe(true)
    expect(await verifyPassword('correct horse!', a, unused)).toBe(false)
    expect(await verifyPassword('', a, unused)).toBe(false)
  })

  test('a missing hash never matches; an unknown format is a typed error', async () => {
    expect(await verifyPassword('x', null, unused)).toBe(false)
    expect(await verifyPassword('x', '', unused)).toBe(false)
    await expect(verifyPassword('x', '$argon2id$v=19$m=65536$abc$def', unused)).rejects.toThrow(UnsupportedPasswordHashError)
  })
})
