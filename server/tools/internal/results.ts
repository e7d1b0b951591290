/**
 * How tool results look on the wire: structured content plus a text copy of it, and tool errors
 * as `isError` results whose structured content is `{ error: { code, message, details? } }`
 * (the shape observability counts by code).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { ToolError } from '../../errors.ts'

import { z } from 'zod'
import { ERROR_CODES } from '../../errors.ts'

/** A successful result: `structured` as structured content, JSON text (or `text`) as content. */
export function okResult(structured: Record<string, unknown>, text?: string): CallToolResult {
  return {
    content: [{ type: 'text', text: text ?? JSON.stringify(structured) }],
    structuredContent: structured,
  }
}

/** A tool error result carrying the error's stable code. */
export function errorResult(error: ToolError): CallToolResult {
  const body = {
    code: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
  }
  return {
    isError: true,
    content: [{ type: 'text', text: JSON.stringify({ error: body }) }],
    structuredContent: { error: body },
  }
}

/** The `error` member of an error result, as listed in every tool's output schema. */
export const errorBodySchema = z.object({
  code: z.enum(ERROR_CODES).describe('Stable error code'),
  message: z.string().describe('What went wrong and what to do next'),
  details: z.record(z.string(), z.unknown()).optional().describe('Machine-readable extras'),
  requestId: z.string().optional().describe('Correlation id of an INTERNAL error'),
}).describe('Present only on error results (isError: true)')

/**
 * A database row as returned: every column of the table, JSON-encoded. A loose object rather
 * than a record: the SDK checks every result against the output schema, and a record parses
 * each key and value on its own (twice the cost on a page of rows).
 */
export const rowSchema = z.looseObject({}).describe('A full row: every column of the table')
