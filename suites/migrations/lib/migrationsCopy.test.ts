import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { SeedError } from './errors.ts'
import { appendText, copyMigrations, removeLine, replaceText } from './migrationsCopy.ts'

let root: string
let from: { migrations: string; rollbacks: string }

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'atoms-copy-test-'))
  from = { migrations: join(root, 'm'), rollbacks: join(root, 'r') }
  mkdirSync(from.migrations)
  mkdirSync(from.rollbacks)
  writeFileSync(join(from.migrations, '20250101000000_one.sql'), 'create table public.one (id int);\ncreate table public.two (id int);\n')
  writeFileSync(join(from.rollbacks, '20250101000000_one.sql'), 'drop table public.two;\ndrop table public.one;\n')
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('copyMigrations', () => {
  test('copies, seeds edits and additions, loads the copy, and leaves the source alone', () => {
    const copy = copyMigrations({
      from,
      rollbacks: { '20250101000000_one.sql': removeLine(/drop table public\.two/) },
      migrations: { '20250101000000_one.sql': appendText('-- changed') },
      add: [{ file: '20250101000100_three.sql', sql: 'select 3;\n', rollback: 'select -3;\n' }],
    })
    try {
      expect(copy.migrations.map((m) => [m.file, m.sql, m.rollbackSql])).toEqual([
        ['20250101000000_one.sql', 'create table public.one (id int);\ncreate table public.two (id int);\n-- changed\n', 'drop table public.one;\n'],
        ['20250101000100_three.sql', 'select 3;\n', 'select -3;\n'],
      ])
      expect(readFileSync(join(from.rollbacks, '20250101000000_one.sql'), 'utf8')).toContain('drop table public.two;')
    } finally {
      copy.dispose()
    }
    expect(existsSync(copy.dir)).toBe(false)
  })

  test('a seed that does not apply is an error naming the file, and nothing is left behind', () => {
    expect(() => copyMigrations({ from, rollbacks: { '20250101000000_one.sql': removeLine(/drop view/) } })).toThrow(SeedError)
    expect(() => copyMigrations({ from, rollbacks: { '20250101000000_one.sql': removeLine(/drop table/) } })).toThrow(/2 lines match/)
    expect(() => copyMigrations({ from, migrations: { '20250101000000_one.sql': replaceText('create view', 'x') } })).toThrow(
      /"20250101000000_one.sql": the text "create view" does not occur/,
    )
    expect(() => copyMigrations({ from, migrations: { 'nope.sql': appendText('x') } })).toThrow(/there is no such file/)
  })
})
