import type { AppliedMigration, Migration } from '../../../harness/db/index.ts'
import { describe, expect, test } from 'vitest'
import { checksumOf } from '../../../harness/db/index.ts'
import { compareWithFiles } from './appliedMigrations.ts'
import { formatProblem } from './problems.ts'

const file = (version: string, name: string, sql = `-- ${name}`): Migration => ({ version, name, file: `${version}_${name}.sql`, sql, checksum: checksumOf(sql) })
const row = (m: Migration, extra: Partial<AppliedMigration> = {}): AppliedMigration => ({
  version: m.version,
  name: m.name,
  checksum: m.checksum,
  applied_at: '2030-01-01 00:00:00+00',
  ...extra,
})

const a = file('20250101000000', 'enums')
const b = file('20250101000100', 'tables')
const c = file('20250101000200', 'policies')

describe('compareWithFiles', () => {
  test('a table with one row per file, same names and checksums, has no problem', () => {
    expect(compareWithFiles([row(a), row(b), row(c)], [a, b, c])).toEqual([])
  })

  test('names a pending file, a changed file, a renamed one and a row without a file', () => {
    const problems = compareWithFiles(
      [row(a, { checksum: checksumOf('-- other text') }), row(b, { name: 'old_tables' }), row(file('20240101000000', 'gone'))],
      [a, b, c],
    )
    expect(problems.map(formatProblem)).toEqual([
      `[table] "20250101000000_enums.sql": changed after it was applied: checksum ${checksumOf('-- other text').slice(0, 12)}… recorded, file has ${a.checksum.slice(0, 12)}…`,
      '[table] "20250101000100_tables.sql": applied under the name "old_tables"',
      '[table] "20250101000200_policies.sql": not applied: the migrations table has no row for it',
      '[table] "20240101000000_gone.sql": applied, but no migration file has its version',
    ])
  })
})
