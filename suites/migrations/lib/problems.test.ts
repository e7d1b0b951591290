import { describe, expect, test } from 'vitest'
import { changed, unexpected } from '../../schema/lib/drift.ts'
import { errorProblem, formatProblem, formatProblems, problem } from './problems.ts'

describe('migration problems', () => {
  test('name the check, the file and each schema difference', () => {
    const p = problem('rollback', '20250101000800_rpc.sql', 'its rollback does not restore the schema from before it (2 difference(s))', [
      unexpected('function', null, 'graph_node_label(text, uuid)', { securityDefiner: false }),
      changed('column', 'projects', 'name', 'nullable', false, true),
    ])
    expect(formatProblem(p)).toBe(
      [
        '[rollback] "20250101000800_rpc.sql": its rollback does not restore the schema from before it (2 difference(s))',
        '    function "graph_node_label(text, uuid)": unexpected (found {"securityDefiner":false})',
        '    table "projects" column "name": nullable expected false, found true',
      ].join('\n'),
    )
  })

  test('errors keep their SQLSTATE; the report counts problems', () => {
    const error = Object.assign(new Error('relation "x" already exists'), { code: '42P07' })
    const p = errorProblem('re-apply', '1_x.sql', 're-applying it', error)
    expect(p.message).toBe('re-applying it failed: [42P07] relation "x" already exists')
    expect(formatProblems([p, problem('no-op', null, 'x')]).split('\n')[0]).toBe('migrations: 2 problems')
    expect(formatProblems([])).toBe('migrations: no problems')
  })
})
