/**
 * Process-wide side tables shared by the runner and the test files.
 *
 * @note Vitest imports the custom runner and the test files through separate module
 * instances (measured on Vitest 5 with the forks pool), so module-level variables are not
 * shared between them. State that both must see lives on `globalThis` under a registered
 * symbol, the same way Vitest keeps its own worker state.
 */
const registry = Symbol.for('atoms-test.harness.state')

type Registry = Map<string, unknown>

function table(): Registry {
  const holder = globalThis as { [registry]?: Registry }
  holder[registry] ??= new Map()
  return holder[registry]
}

/** The shared value stored under `name`, created by `init` on first use in this process. */
export function sharedState<T>(name: string, init: () => T): T {
  const map = table()
  if (!map.has(name)) map.set(name, init())
  return map.get(name) as T
}
