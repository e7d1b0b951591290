/**
 * Rows as JSON, CSV (RFC 4180) or a Markdown table, for `export_results`.
 */
import type { Row } from '../../data/rows.ts'

/** The export formats. */
export type ExportFormat = 'json' | 'csv' | 'markdown'

/** Formats rows with the given column order. */
export function formatExport(rows: Row[], columns: string[], format: ExportFormat): string {
  if (format === 'json') return JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))), null, 2)
  if (format === 'csv') return [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(cellText(r[c]))).join(','))].join('\r\n')
  const header = `| ${columns.map(mdCell).join(' | ')} |`
  const rule = `| ${columns.map(() => '---').join(' | ')} |`
  return [header, rule, ...rows.map((r) => `| ${columns.map((c) => mdCell(cellText(r[c]))).join(' | ')} |`)].join('\n')
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

// Spreadsheets run cells starting with = + - @ as formulas; a leading quote keeps them text
// (OWASP "CSV injection"); plain negative numbers are left alone. Cells with separators, quotes or line breaks are quoted.
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(?:\.\d+)?$/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}
