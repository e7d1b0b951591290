/**
 * `atoms-test` command line: parses arguments with commander and resolves to the exit code.
 * Typed errors that carry an `exitCode` (bad mode, missing hot variables, production target)
 * print their message and exit with it; anything else is a bug and is rethrown.
 */
import { readFileSync } from 'node:fs'
import type { ProviderName } from '../harness/backends/providers/index.ts'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { ModeError } from '../harness/errors.ts'
import { resolveMode } from '../harness/modes.ts'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

/** Collects a repeatable option into an array. */
const collect = (value: string, previous: string[] = []) => [...previous, value]

/** Builds the program; `setExitCode` receives each command's result. */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('atoms-test')
    .description('Run the Atoms suites against a live Supabase project (hot), real Postgres (cold) or in-process (dry).')
    .version(pkg.version)
    .exitOverride()
    // Options after a subcommand belong to it (`emulator --provider` is not the run's `--provider`).
    .enablePositionalOptions()
    .argument('[filters...]', 'only test files whose path contains one of these')
    .addOption(new Option('--mode <mode>', 'hot | cold | dry (default: $ATOMS_TEST_MODE, else dry)'))
    .option('--suite <name>', 'run only this suite: schema, rls, migrations, e2e, examples (repeatable)', collect)
    .option('--flow <name>', 'run only the cascade flow with this name')
    .option('--shard <i/n>', 'run shard i of n')
    .option('--reporter <name>', 'a Vitest reporter (repeatable)', collect)
    .option('--fail-on-leak', 'fail the run when harmful() cleanup leaves a row behind')
    .option('--allow-production', 'let hot mode run against a target that looks like production')
    .addOption(new Option('--isolation <kind>', 'rollback (default in cold/dry) or cleanup').choices(['rollback', 'cleanup']))
    .option('--provider <name>', 'cold mode: testcontainers | database-url | initdb | pglite (default: first that answers)')
    .option('--max-workers <n>', 'test files run at once (default: one per CPU core)', (v) => parseWorkers(v))
    .addOption(
      new Option('--database <kind>', 'cold: a database clone per test file, or one shared by all (needs --isolation=cleanup)').choices([
        'per-file',
        'shared',
      ]),
    )
    .action(async (filters: string[], options: Record<string, unknown>) => {
      const mode = resolveMode({ flag: options.mode as string | undefined })
      // Loaded on demand: Vitest's Node API is heavy, and `--help` should not wait for it.
      const { runSuites } = await import('./runSuites.ts')
      setExitCode(
        await runSuites({
          mode,
          filters,
          suite: options.suite as string[] | undefined,
          flow: options.flow as string | undefined,
          shard: options.shard as string | undefined,
          reporter: options.reporter as string[] | undefined,
          failOnLeak: Boolean(options.failOnLeak),
          allowProduction: Boolean(options.allowProduction),
          isolation: options.isolation as 'rollback' | 'cleanup' | undefined,
          provider: options.provider as string | undefined,
          database: options.database as 'per-file' | 'shared' | undefined,
          maxWorkers: options.maxWorkers as number | undefined,
        }),
      )
    })
  program
    .command('parity')
    .description('run the suites in dry and in cold and fail when any test reaches a different verdict')
    .option('--suite <name>', 'compare only this suite (repeatable; default schema, rls, e2e)', collect)
    .action(async (options: { suite?: string[] }) => {
      const { runParity } = await import('./parityCommand.ts')
      setExitCode((await runParity({ suite: options.suite })).exitCode)
    })
  program
    .command('sweep')
    .description('hot: delete every row a crashed run left behind (rows carry the run id in their slug or e-mail)')
    .requiredOption('--run <id>', 'the run id the run printed')
    .option('--allow-production', 'let the sweep touch a target that looks like production')
    .action(async (options: { run: string; allowProduction?: boolean }) => {
      const { runSweep } = await import('./sweepCommand.ts')
      setExitCode(await runSweep(options.run, { allowProduction: options.allowProduction ?? false }))
    })
  program
    .command('emulator')
    .description('serve a Supabase-compatible emulator over a migrated Postgres on loopback and print its SUPABASE_* variables')
    .option('--provider <name>', 'testcontainers | database-url | initdb | pglite (default: first that answers)')
    .option('--port <n>', 'port to listen on (default: a free one)', (v) => parsePort(v))
    .action(async (options: { provider?: string; port?: number }) => {
      const { runEmulator } = await import('./emulatorCommand.ts')
      setExitCode(await runEmulator({ provider: options.provider as ProviderName | undefined, port: options.port }))
    })
  return program
}

/** A TCP port from the command line, or a usage error. */
function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`"${value}" is not a port number (0-65535).`)
  return port
}

function parseWorkers(value: string): number {
  const workers = Number(value)
  if (!Number.isInteger(workers) || workers < 1) throw new InvalidArgumentError(`"${value}" is not a worker count (an integer of at least 1).`)
  return workers
}

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0
  const program = buildProgram((c) => (code = c))
  try {
    await program.parseAsync(argv)
    return code
  } catch (error) {
    // Commander has printed the message; every error it raises is a usage error (exit 2).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
    // A bad mode is a usage error like the others that carry an exit code.
    const exitCode = error instanceof ModeError ? 2 : (error as { exitCode?: unknown })?.exitCode
    if (typeof exitCode === 'number') {
      process.stderr.write(`atoms-test: ${(error as Error).message}\n`)
      return exitCode
    }
    throw error
  }
}
