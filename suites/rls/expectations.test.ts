/**
 * The expectations file against the migrations' text, without a database: every cell is a
 * verdict, service may do everything and anon nothing, and the policies it lists are exactly the
 * `create policy` statements of supabase/migrations (the live check is the coverage test).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { rlsExpectations } from './expectations.ts'
import { ACTORS, OPERATIONS } from './lib/index.ts'

const migrations = join(import.meta.dirname, '../../supabase/migrations')

/** `table -> policy -> command` from every `create policy` in the migrations. */
function declaredPolicies(): Record<string, Record<string, string>> {
  const declared: Record<string, Record<string, string>> = {}
  for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql') && !f.includes('down'))) {
    const text = readFileSync(join(migrations, file), 'utf8')
    for (const match of text.matchAll(/create policy (\w+) on public\.(\w+) for (select|insert|update|delete|all)\b/g)) {
      ;(declared[match[2]!] ??= {})[match[1]!] = match[3]!
    }
  }
  return declared
}

describe('expectations', () => {
  test('every table has a verdict for every operation and actor', () => {
    for (const [table, expectation] of Object.entries(rlsExpectations)) {
      for (const op of OPERATIONS) {
        expect(Object.keys(expectation[op]).sort(), `${table}.${op}`).toEqual([...ACTORS].sort())
        expect(expectation[op].service, `${table}.${op}: the service role bypasses RLS`).toBe('allow')
        expect(expectation[op].anon, `${table}.${op}: no policy is for anon`).toBe('deny')
      }
    }
  })

  test('the listed policies are exactly those the migrations create, under their command', () => {
    const declared = declaredPolicies()
    expect(Object.keys(declared).sort()).toEqual(Object.keys(rlsExpectations).sort())
    for (const [table, expectation] of Object.entries(rlsExpectations)) {
      const listed = Object.fromEntries(OPERATIONS.flatMap((op) => expectation.policies[op].map((name) => [name, op])))
      expect(listed, table).toEqual(declared[table])
    }
  })
})
