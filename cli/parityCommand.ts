/**
 * `atoms-test parity`: runs the suites in dry and then in cold and compares the verdict of every
 * test. A test that passes in one mode and fails (or is missing) in the other means the modes
 * disagree about the system — the report lists each one and the command exits 1.
 */
import type { Mode } from '../harness/modes.ts'
import type { RunOptions } from './runSuites.ts'
import type { VerdictDifference } from './verdicts.ts'
import { runSuitesDetailed } from './runSuites.ts'
import { collectVerdicts, diffVerdicts } from './verdicts.ts'

/** The suites compared unless `--suite` says otherwise. */
export const PARITY_SUITES = ['schema', 'rls', 'e2e']

/** The outcome of a parity run. */
export interface ParityResult {
  exitCode: number
  differences: VerdictDifference[]
  counts: Record<string, number>
}

/** Runs `suites` in `modes[0]` and `modes[1]` and compares them. */
export async function runParity(
  options: Omit<RunOptions, 'mode'>,
  modes: [Mode, Mode] = ['dry', 'cold'],
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<ParityResult> {
  const suite = options.suite?.length ? options.suite : PARITY_SUITES
  const runs = []
  for (const mode of modes) runs.push(await runSuitesDetailed({ ...options, suite, mode }))
  const [left, right] = runs.map((run) => collectVerdicts(run.modules, run.root))
  const differences = diffVerdicts(left!, right!)
  const counts = { [modes[0]]: left!.size, [modes[1]]: right!.size }
  print(`atoms-test parity: ${suite.join(', ')}: ${left!.size} test names in ${modes[0]}, ${right!.size} in ${modes[1]} (flows of every MCP transport fold into one name)`)
  for (const d of differences) print(`  differs: ${d.test}: ${modes[0]} ${d.left}, ${modes[1]} ${d.right}`)
  print(differences.length === 0 ? '  every verdict matches' : `  ${differences.length} verdicts differ`)
  const failed = runs.some((run) => run.exitCode !== 0)
  return { exitCode: differences.length > 0 || failed ? 1 : 0, differences, counts }
}
