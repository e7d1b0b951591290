/**
 * The drift report, for people (grouped text: table -> object -> expected vs found) and for
 * machines (JSON with the same entries).
 */
import type { Drift } from './drift.ts'
import { sortDrifts } from './drift.ts'

/** The JSON form of a drift report. */
export interface DriftReportJson {
  /** True when nothing differs. */
  ok: boolean
  count: number
  drifts: Drift[]
}

/** Renders a value compactly: strings quoted, lists inline, long values cut. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'none'
  if (typeof value === 'string') return JSON.stringify(value)
  const text = JSON.stringify(value)
  return text.length > 160 ? `${text.slice(0, 157)}...` : text
}

/** What changed inside two lists, when both are lists of strings (enum values, privileges). */
function listChange(expected: unknown, found: unknown): string {
  if (!Array.isArray(expected) || !Array.isArray(found)) return ''
  const added = found.filter((v) => !expected.includes(v))
  const removed = expected.filter((v) => !found.includes(v))
  const parts: string[] = []
  if (added.length > 0) parts.push(`added ${added.map((v) => show(v)).join(', ')}`)
  if (removed.length > 0) parts.push(`removed ${removed.map((v) => show(v)).join(', ')}`)
  if (parts.length === 0 && expected.length === found.length) parts.push('reordered')
  return parts.length > 0 ? ` (${parts.join('; ')})` : ''
}

/** One drift as one line, without its table (the report groups by table). */
export function describeDrift(drift: Drift): string {
  const subject = `${drift.object} "${drift.name}"`
  switch (drift.kind) {
    case 'missing':
      return `${subject}: missing (expected ${show(drift.expected)})`
    case 'unexpected':
      return `${subject}: unexpected (found ${show(drift.found)})`
    case 'changed':
      return `${subject}: ${drift.property} expected ${show(drift.expected)}, found ${show(drift.found)}${listChange(drift.expected, drift.found)}`
  }
}

/** One drift as one self-contained line, table included. */
export function driftLine(drift: Drift): string {
  return drift.table === null ? describeDrift(drift) : `table "${drift.table}" ${describeDrift(drift)}`
}

/** The person-readable report: a header, then one block per table and one for the rest. */
export function formatDriftReport(drifts: Drift[], title = 'schema drift'): string {
  if (drifts.length === 0) return `${title}: none`
  const lines = [`${title}: ${drifts.length} difference${drifts.length === 1 ? '' : 's'}`]
  const byTable = new Map<string, Drift[]>()
  for (const drift of sortDrifts(drifts)) {
    const group = drift.table === null ? '' : drift.table
    byTable.set(group, [...(byTable.get(group) ?? []), drift])
  }
  for (const [table, group] of byTable) {
    if (table !== '') lines.push(`  table "${table}"`)
    for (const drift of group) lines.push(`${table === '' ? '  ' : '    '}${describeDrift(drift)}`)
  }
  return lines.join('\n')
}

/** The JSON report. */
export function driftReportJson(drifts: Drift[]): DriftReportJson {
  return { ok: drifts.length === 0, count: drifts.length, drifts: sortDrifts(drifts) }
}
