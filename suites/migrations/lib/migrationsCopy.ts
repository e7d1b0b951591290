/**
 * A temporary copy of the migrations folder (and its rollbacks) with faults seeded into it:
 * how the suite proves that its checks catch a broken rollback, a non-idempotent migration, a
 * tampered file or a migration that fails half-way — without touching `supabase/`.
 */
import type { Migration } from '../../../harness/db/index.ts'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadMigrations, migrationsDir, rollbacksDir } from '../../../harness/db/index.ts'
import { SeedError } from './errors.ts'

/** Rewrites a file's text; throws SeedError when it cannot (see `removeLine`, `replaceText`). */
export type SeedEdit = (sql: string, file: string) => string

/** What to change in the copy. */
export interface CopyOptions {
  /** Source folders (default: the project's `supabase/migrations` and `supabase/rollbacks`). */
  from?: { migrations: string; rollbacks: string }
  /** Edits of migration files, by file name. */
  migrations?: Record<string, SeedEdit>
  /** Edits of rollback files, by file name. */
  rollbacks?: Record<string, SeedEdit>
  /** Files to add: a migration and (optionally) its rollback. */
  add?: Array<{ file: string; sql: string; rollback?: string }>
}

/** The copy; `dispose()` deletes it. */
export interface MigrationsCopy {
  dir: string
  rollbackDir: string
  /** The copy's migrations, loaded as the runner loads them. */
  migrations: Migration[]
  dispose(): void
}

/** Makes a temporary copy of the migrations with the given faults seeded. */
export function copyMigrations(options: CopyOptions = {}): MigrationsCopy {
  const from = options.from ?? { migrations: migrationsDir, rollbacks: rollbacksDir }
  const root = mkdtempSync(join(tmpdir(), 'atoms-migrations-'))
  const dir = join(root, 'migrations')
  const rollbackDir = join(root, 'rollbacks')
  try {
    mkdirSync(dir)
    mkdirSync(rollbackDir)
    copyWithEdits(from.migrations, dir, options.migrations ?? {})
    copyWithEdits(from.rollbacks, rollbackDir, options.rollbacks ?? {})
    for (const added of options.add ?? []) {
      writeFileSync(join(dir, added.file), added.sql)
      if (added.rollback !== undefined) writeFileSync(join(rollbackDir, added.file), added.rollback)
    }
    return { dir, rollbackDir, migrations: loadMigrations(dir, rollbackDir), dispose: () => rmSync(root, { recursive: true, force: true }) }
  } catch (error) {
    rmSync(root, { recursive: true, force: true })
    throw error
  }
}

function copyWithEdits(source: string, target: string, edits: Record<string, SeedEdit>): void {
  const files = new Set(readdirSync(source))
  for (const file of Object.keys(edits)) {
    if (!files.has(file)) throw new SeedError(file, `there is no such file in "${source}"`)
  }
  for (const file of files) {
    const edit = edits[file]
    if (!edit) copyFileSync(join(source, file), join(target, file))
    else writeFileSync(join(target, file), edit(readFileSync(join(source, file), 'utf8'), file))
  }
}

/** An edit that removes the one line matching `pattern` (a rollback that forgets an object). */
export function removeLine(pattern: RegExp): SeedEdit {
  return (sql, file) => {
    const lines = sql.split('\n')
    const hits = lines.filter((line) => pattern.test(line))
    if (hits.length !== 1) throw new SeedError(file, `${hits.length} lines match ${pattern}, expected exactly 1`)
    return lines.filter((line) => !pattern.test(line)).join('\n')
  }
}

/** An edit that replaces `search` (which must occur) with `replacement`. */
export function replaceText(search: string, replacement: string): SeedEdit {
  return (sql, file) => {
    if (!sql.includes(search)) throw new SeedError(file, `the text ${JSON.stringify(search)} does not occur`)
    return sql.replace(search, replacement)
  }
}

/** An edit that appends `text` (a tampered file: same migration, one more line). */
export function appendText(text: string): SeedEdit {
  return (sql) => `${sql}${sql.endsWith('\n') ? '' : '\n'}${text}\n`
}
