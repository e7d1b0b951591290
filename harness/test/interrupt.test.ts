import { expect, test } from 'vitest'
import { runFixtures } from './test-utils.ts'

test('SIGINT to a test worker deletes the rows of the running test before the worker exits', async () => {
  let interrupted = 0
  const run = await runFixtures({
    files: ['interrupt.fixture.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    whileRunning: async (readLog) => {
      const deadline = Date.now() + 20_000
      while (Date.now() < deadline) {
        const ready = (await readLog()).find((e) => e.kind === 'ready')
        if (ready) {
          interrupted = ready.pid
          process.kill(ready.pid, 'SIGINT')
          return
        }
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      throw new Error('the fixture never became ready')
    },
  })
  expect(interrupted).toBeGreaterThan(0)
  expect(run.events('delete').map((e) => [e.pid, e.id, e.outcome])).toEqual([
    [interrupted, 'projects:int-p', 'deleted'],
    [interrupted, 'organizations:int-o', 'deleted'],
  ])
  // The worker did die of the signal: the test never finished normally.
  expect(run.test('hangs after creating rows').state).not.toBe('passed')
}, 60_000)
