/** Source locations of flow and step definitions, for error messages. */
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/

function isInternal(file: string): boolean {
  return file.endsWith('/harness/cascade.ts') || file.includes('/harness/cascade/') || file.includes('/node_modules/') || file.startsWith('node:')
}

/** `file:line:column` of the first stack frame outside the flow API, relative to the working directory. */
export function callerLocation(): string {
  const stack = new Error('location').stack?.split('\n').slice(1) ?? []
  for (const line of stack) {
    const match = FRAME.exec(line.trim())
    if (!match) continue
    const [, raw = '', row, column] = match
    const file = raw.startsWith('file://') ? fileURLToPath(raw) : raw
    if (isInternal(file)) continue
    return `${relative(process.cwd(), file) || file}:${row}:${column}`
  }
  return 'unknown location'
}
