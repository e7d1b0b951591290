import { describe, expect, test } from 'vitest'
import { ContractError } from './errors.ts'
import { expectedSchema, functionSignature } from './expected.ts'
import { contract, models } from './test-utils.ts'

describe('expectedSchema', () => {
  test('takes columns, keys and checks from the models and the rest from the contract', () => {
    const e = expectedSchema(models(), contract())
    expect(e.tables.projects).toMatchObject({
      primaryKey: ['id'],
      foreignKeys: { projects_org_id_fkey: { columns: ['org_id'], references: { table: 'orgs', columns: ['id'] }, onDelete: 'cascade' } },
      checks: ['projects_name_length'],
      indexes: { projects_org_id_idx: { columns: ['org_id'] } },
      rls: true,
    })
    expect(e.tables.projects!.columns.created_at).toEqual({ type: 'timestamptz', nullable: true, hasDefault: true, generated: false })
    expect(e.functions).toEqual({
      'is_member(uuid)': { name: 'is_member', args: ['uuid'], returns: 'boolean', securityDefiner: true, searchPath: '', executableBy: ['authenticated', 'service_role'] },
    })
  })

  test('trigger functions, exceptions by name and extra functions get their own executors', () => {
    const e = expectedSchema(
      { ...models(), functions: { on_insert: { args: [], returns: 'trigger', securityDefiner: true, trigger: true } } },
      {
        ...contract(),
        functionExecute: { trigger: ['service_role'], default: ['authenticated'], byName: { introspect: ['service_role'] } },
        extraFunctions: { introspect: { args: ['text[]'], returns: 'jsonb', securityDefiner: true, trigger: false } },
      },
    )
    expect(Object.fromEntries(Object.entries(e.functions!).map(([k, f]) => [k, f.executableBy]))).toEqual({
      'on_insert()': ['service_role'],
      'introspect(text[])': ['service_role'],
    })
  })

  test('a contract naming unknown tables, columns or functions is refused with every problem listed', () => {
    let caught: unknown
    try {
      expectedSchema(models(), {
        ...contract(),
        indexes: { nowhere: { x_idx: { columns: ['x'] } }, projects: { p_idx: { columns: ['no_such_column'] } } },
        tableGrants: { ghosts: {} },
        functionExecute: { trigger: [], default: [], byName: { vanished: ['anon'] } },
      })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(AggregateError)
    const messages = (caught as AggregateError).errors.map((e: Error) => e.message)
    expect((caught as AggregateError).errors.every((e) => e instanceof ContractError)).toBe(true)
    expect(messages).toEqual([
      'contract.indexes names table "nowhere", which no model declares; correct "suites/schema/contract.ts" or the model.',
      'index "p_idx" of "projects" names column "no_such_column", which the model lacks; correct "suites/schema/contract.ts" or the model.',
      'contract.tableGrants names table "ghosts", which no model declares; correct "suites/schema/contract.ts" or the model.',
      'contract.functionExecute names function "vanished", which no model declares; correct "suites/schema/contract.ts" or the model.',
    ])
  })

  test('function signatures use canonical argument types', () => {
    expect(functionSignature('f', ['public.entity_type', 'timestamp with time zone', 'int4[]'])).toBe('f(entity_type, timestamptz, integer[])')
    expect(functionSignature('g', [])).toBe('g()')
  })
})
