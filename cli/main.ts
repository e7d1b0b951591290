/**
 * `atoms-test` command line: parses arguments with commander and returns the exit code.
 */
import { readFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

/** Builds the program; commands are added by the modules that implement them. */
export function buildProgram(): Command {
  return new Command('atoms-test')
    .description('Run the Atoms suites against a live Supabase project (hot), real Postgres (cold) or in-process (dry).')
    .version(pkg.version)
    .exitOverride()
}

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    throw error
  }
}
