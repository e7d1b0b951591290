import { describe, expect, test } from 'vitest'
import { ModeError, ModeGuardError } from './errors.ts'
import { currentMode, guardAllows, modeSkipNote, onlyIn, requireMode, resolveMode, skipIn } from './modes.ts'

describe('resolveMode', () => {
  test('flag wins over the environment, which wins over the default', () => {
    expect(resolveMode({ flag: 'hot', env: { ATOMS_TEST_MODE: 'cold' } })).toBe('hot')
    expect(resolveMode({ env: { ATOMS_TEST_MODE: 'cold' } })).toBe('cold')
    expect(resolveMode({ env: {} })).toBe('dry')
  })

  test('blank values count as unset and case is ignored', () => {
    expect(resolveMode({ flag: '', env: { ATOMS_TEST_MODE: '  ' } })).toBe('dry')
    expect(resolveMode({ flag: ' COLD ', env: {} })).toBe('cold')
  })

  test('an unknown value is a typed error naming its source', () => {
    expect(() => resolveMode({ flag: 'warm', env: {} })).toThrow(ModeError)
    const error = (() => {
      try {
        resolveMode({ env: { ATOMS_TEST_MODE: 'prod' } })
      } catch (caught) {
        return caught as ModeError
      }
    })()
    expect(error).toMatchObject({ name: 'ModeError', code: 'ATOMS_MODE_INVALID', source: 'ATOMS_TEST_MODE', value: 'prod' })
    expect(error?.message).toContain('"prod"')
    // The flag is checked first even when the environment is also wrong.
    expect(() => resolveMode({ flag: 'x', env: { ATOMS_TEST_MODE: 'y' } })).toThrow(/from --mode/)
  })

  test('currentMode reads the worker environment', () => {
    expect(currentMode({ ATOMS_TEST_MODE: 'hot' })).toBe('hot')
  })
})

describe('guards', () => {
  test('onlyIn and skipIn describe their notes', () => {
    expect(modeSkipNote({ only: ['cold', 'hot'] }, 'dry')).toBe('requires mode cold|hot; running dry')
    expect(modeSkipNote({ only: ['cold'], reason: 'needs HTTP' }, 'dry')).toBe('requires mode cold; running dry: needs HTTP')
    expect(modeSkipNote({ except: ['dry'] }, 'dry')).toBe('skipped in mode dry')
    expect(modeSkipNote({ except: ['dry'] }, 'cold')).toBeUndefined()
    expect(guardAllows({ only: ['hot'], except: ['hot'] }, 'hot')).toBe(false)
  })

  test('guard options skip according to the current mode and carry the guard as meta', () => {
    const mode = currentMode()
    const others = (['hot', 'cold', 'dry'] as const).filter((m) => m !== mode)
    expect(onlyIn([mode])).toEqual({ skip: false, meta: { modeGuard: { only: [mode] } } })
    expect(onlyIn(others, 'why').skip).toBe(true)
    expect(skipIn([mode]).skip).toBe(true)
    expect(skipIn(others).meta.modeGuard).toEqual({ except: others })
  })

  test('empty or unknown modes are rejected', () => {
    expect(() => onlyIn([])).toThrow(ModeGuardError)
    expect(() => skipIn(['warm' as never])).toThrow(/"warm"/)
  })

  test('requireMode skips through the context with the note', () => {
    const notes: string[] = []
    const context = { skip: (note?: string) => void notes.push(note ?? '') }
    const mode = currentMode()
    requireMode(context, [mode])
    expect(notes).toEqual([])
    const other = mode === 'hot' ? 'cold' : 'hot'
    requireMode(context, [other], 'live project only')
    expect(notes).toEqual([`requires mode ${other}; running ${mode}: live project only`])
  })
})
