import type { IsolationHooks } from './isolation.ts'
import { describe, expect, test } from 'vitest'
import { beginUnit, endUnit, isUnitOpen, registerIsolation, unitRollsBack } from './isolation.ts'

const info = (id: string) => ({ id, kind: 'test' as const, name: id, file: 'f.ts' })

function recorder(log: string[], name: string, extra: Partial<IsolationHooks> = {}): IsolationHooks {
  return {
    beginUnit: (id) => void log.push(`${name}+${id}`),
    endUnit: (id, { failed }) => void log.push(`${name}-${id}${failed ? '!' : ''}`),
    ...extra,
  }
}

describe('isolation registry', () => {
  test('hooks registered while a unit is open begin it at once; units end last-begun first', async () => {
    const log: string[] = []
    const offA = await registerIsolation(recorder(log, 'A'))
    await beginUnit(info('u1'))
    const offB = await registerIsolation(recorder(log, 'B', { rollsBack: true }))
    expect(unitRollsBack('u1')).toBe(true)
    await endUnit('u1', true)
    expect(log).toEqual(['A+u1', 'B+u1', 'B-u1!', 'A-u1!'])
    expect(isUnitOpen('u1')).toBe(false)
    offA()
    offB()
  })

  test('a failing begin ends the hooks that began and rethrows; a failing end still ends the others', async () => {
    const log: string[] = []
    const offA = await registerIsolation(recorder(log, 'A'))
    const offB = await registerIsolation({ beginUnit: () => { throw new Error('no connection') }, endUnit: () => {} })
    await expect(beginUnit(info('u2'))).rejects.toThrow('no connection')
    expect(log).toEqual(['A+u2', 'A-u2!'])
    offB()
    const offC = await registerIsolation({ beginUnit: () => {}, endUnit: () => { throw new Error('rollback failed') } })
    await beginUnit(info('u3'))
    await expect(endUnit('u3', false)).rejects.toThrow('rollback failed')
    expect(log.at(-1)).toBe('A-u3')
    offA()
    offC()
  })
})
