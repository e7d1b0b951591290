import { describe, expect, test } from 'vitest'
import { classifyInsert, classifySelect, classifyWrite } from './classify.ts'

const rls = { code: '42501', message: 'new row violates row-level security policy for table "documents"' }

describe('classifySelect', () => {
  test('all rows seen is allow, none is deny', () => {
    expect(classifySelect({ data: [{ id: 'a' }, { id: 'b' }], error: null }, ['a', 'b']).observed).toBe('allow')
    expect(classifySelect({ data: [], error: null }, ['a', 'b'])).toEqual({ observed: 'deny', detail: 'saw none of the rows' })
  })
  test('rows outside the named ids do not count', () => {
    expect(classifySelect({ data: [{ id: 'x' }], error: null }, ['a']).observed).toBe('deny')
  })
  test('some but not all is an error: the rows share one permission context', () => {
    expect(classifySelect({ data: [{ id: 'a' }], error: null }, ['a', 'b']).observed).toBe('error')
  })
  test('42501 is deny, any other error is an error', () => {
    expect(classifySelect({ data: null, error: rls }, ['a']).observed).toBe('deny')
    const other = classifySelect({ data: null, error: { code: 'PGRST100', message: 'bad filter' } }, ['a'])
    expect(other).toEqual({ observed: 'error', detail: 'read failed (PGRST100: bad filter)' })
  })
  test('a response without a row list is an error', () => {
    expect(classifySelect({ data: { id: 'a' }, error: null }, ['a']).observed).toBe('error')
  })
})

describe('classifyInsert', () => {
  test('success is allow, 42501 is deny', () => {
    expect(classifyInsert({ data: null, error: null })).toEqual({ observed: 'allow', detail: 'inserted' })
    expect(classifyInsert({ data: null, error: rls }).observed).toBe('deny')
  })
  test('a constraint error (class 23) means RLS let the row through', () => {
    const result = classifyInsert({ data: null, error: { code: '23505', message: 'duplicate key value' } })
    expect(result.observed).toBe('allow')
    expect(result.detail).toContain('23505')
  })
  test('anything else is an error, not a verdict', () => {
    expect(classifyInsert({ data: null, error: { code: '42P01', message: 'relation does not exist' } }).observed).toBe('error')
    expect(classifyInsert({ data: null, error: { message: 'fetch failed' } }).observed).toBe('error')
  })
})

describe('classifyWrite', () => {
  test('one row back is allow, none is deny (the USING clause hid it)', () => {
    expect(classifyWrite({ data: [{ id: 'a' }], error: null }, 'update')).toEqual({ observed: 'allow', detail: 'updated 1 row' })
    expect(classifyWrite({ data: [], error: null }, 'delete')).toEqual({ observed: 'deny', detail: 'deleted no row' })
  })
  test('42501 (the new row failed the check) is deny', () => {
    expect(classifyWrite({ data: null, error: rls }, 'update').observed).toBe('deny')
  })
  test('a foreign key stopping an allowed delete is allow', () => {
    expect(classifyWrite({ data: null, error: { code: '23503', message: 'violates foreign key constraint' } }, 'delete').observed).toBe('allow')
  })
  test('several rows for one id, or another error, is an error', () => {
    expect(classifyWrite({ data: [{ id: 'a' }, { id: 'b' }], error: null }, 'update').observed).toBe('error')
    expect(classifyWrite({ data: null, error: { code: 'PGRST204', message: 'column not found' } }, 'update').observed).toBe('error')
  })
})
