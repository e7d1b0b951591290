/**
 * Runs a stored workflow: steps in order, each one a tool call made as the caller (through the
 * same invoker as every other call, so RLS and observability apply), recording per-step results
 * in the `workflow_runs` row after every step. The first failing step stops the run, which is
 * then `failed` with that step's error; otherwise it ends `succeeded`.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { SupabaseClient } from '@supabase/supabase-js'
import type { ToolCall } from '../http/types.ts'
import type { Row } from '../data/rows.ts'
import type { Scope } from './expressions.ts'
import type { CallStep, Step } from './steps.ts'

import { mapDataError } from '../data/mapError.ts'
import { ExpressionError, lookup, parsePath, resolve } from './expressions.ts'

/** Most tool calls one run may make (loops included). */
export const MAX_CALLS_PER_RUN = 1_000
/** Stored results larger than this (JSON characters) are replaced by a summary. */
const MAX_STORED_RESULT = 100_000

/** The recorded outcome of one step (or one call of a loop). */
export interface StepRecord {
  id: string
  status: 'succeeded' | 'failed' | 'skipped'
  tool?: string
  operation?: string
  ms?: number
  result?: unknown
  error?: unknown
  iterations?: Array<Record<string, StepRecord>>
}

/** A failed step: why the run stopped. */
class StepFailure extends Error {
  override name = 'StepFailure'
  readonly body: Record<string, unknown>
  /** The failed call's record, for the step list or the loop iteration it belongs to. */
  readonly record: StepRecord | undefined
  constructor(body: Record<string, unknown>, record?: StepRecord) {
    super(String(body.message ?? 'step failed'))
    this.body = body
    this.record = record
  }
}

/** What a run needs. */
export interface RunOptions {
  db: SupabaseClient
  runId: string
  workflow: { id: string, organization_id: string }
  userId: string
  steps: Step[]
  inputs: Record<string, unknown>
  invoke(call: ToolCall): Promise<CallToolResult>
}

/** Executes the run to its end and returns the final `workflow_runs` row; never throws for step failures. */
export async function executeRun(options: RunOptions): Promise<Row> {
  const records: StepRecord[] = []
  const scope: Scope = { inputs: options.inputs, steps: {}, workflow: options.workflow, user: { id: options.userId } }
  let calls = 0
  const call = async (step: CallStep, local: Scope): Promise<StepRecord> => {
    const base = { id: step.id, tool: step.tool, operation: step.operation }
    const fail = (error: Record<string, unknown>, ms?: number) =>
      new StepFailure({ ...error, step: step.id }, { ...base, status: 'failed', ...(ms === undefined ? {} : { ms }), error })
    if (++calls > MAX_CALLS_PER_RUN) throw fail({ code: 'INVALID_INPUT', message: `the run made more than ${MAX_CALLS_PER_RUN} calls` })
    if (skipped(step.when, local)) return { ...base, status: 'skipped' }
    const started = performance.now()
    let args: Record<string, unknown>
    try {
      args = resolve(step.args, local) as Record<string, unknown>
    } catch (error) {
      throw fail({ code: 'INVALID_INPUT', message: error instanceof Error ? error.message : String(error) })
    }
    const result = await options.invoke({ tool: step.tool, operation: step.operation, args: { ...args, operation: step.operation } })
    const ms = Math.round(performance.now() - started)
    const structured = result.structuredContent ?? {}
    if (result.isError) {
      throw fail((structured as { error?: Record<string, unknown> }).error ?? { code: 'INTERNAL', message: textOf(result) }, ms)
    }
    return { id: step.id, status: 'succeeded', tool: step.tool, operation: step.operation, ms, result: structured }
  }

  let failure: Record<string, unknown> | null = null
  try {
    for (const step of options.steps) {
      if ('require' in step) {
        const missing = step.require.filter((p) => isEmpty(lookup(scope, parsePath(p))))
        if (missing.length) {
          records.push({ id: step.id, status: 'failed', error: { code: 'INVALID_INPUT', message: `missing ${missing.join(', ')}` } })
          throw new StepFailure({ code: 'INVALID_INPUT', message: `missing ${missing.join(', ')}`, step: step.id })
        }
        records.push({ id: step.id, status: 'succeeded' })
      } else if ('tool' in step) {
        let record: StepRecord
        try {
          record = await call(step, scope)
        } catch (error) {
          if (error instanceof StepFailure && error.record) records.push(error.record)
          throw error
        }
        records.push(record)
        if (record.status === 'succeeded') scope.steps[step.id] = record.result
      } else {
        if (skipped(step.when, scope)) {
          records.push({ id: step.id, status: 'skipped' })
        } else {
          let list: unknown[]
          try {
            list = resolveList(step.for_each, scope, step.id, step.max_items)
          } catch (error) {
            if (error instanceof StepFailure) records.push({ id: step.id, status: 'failed', error: error.body })
            throw error
          }
          const loop: StepRecord = { id: step.id, status: 'succeeded', iterations: [] }
          records.push(loop)
          const results: Array<Record<string, unknown>> = []
          for (const [index, item] of list.entries()) {
            const iter: Record<string, unknown> = {}
            const done: Record<string, StepRecord> = {}
            loop.iterations!.push(done)
            for (const inner of step.do) {
              try {
                const record = await call(inner, { ...scope, item, index, iter })
                done[inner.id] = record
                if (record.status === 'succeeded') iter[inner.id] = record.result
              } catch (error) {
                if (error instanceof StepFailure && error.record) done[inner.id] = error.record
                loop.status = 'failed'
                throw error
              }
            }
            results.push(iter)
          }
          scope.steps[step.id] = results
        }
      }
      await saveProgress(options, records)
    }
  } catch (error) {
    failure = error instanceof StepFailure
      ? error.body
      : { code: error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'INTERNAL', message: `the run stopped: ${error instanceof Error ? error.message : String(error)}` }
  }
  return finish(options, records, failure)
}

function skipped(when: unknown, scope: Scope): boolean {
  if (when === undefined) return false
  let value: unknown
  try {
    value = resolve(when, scope)
  } catch (error) {
    if (error instanceof ExpressionError) return false
    throw error
  }
  return value === false || value === null || value === 0 || value === ''
}

function resolveList(expression: string, scope: Scope, id: string, max: number): unknown[] {
  let value: unknown
  try {
    value = resolve(expression, scope)
  } catch (error) {
    throw new StepFailure({ code: 'INVALID_INPUT', message: error instanceof Error ? error.message : String(error), step: id })
  }
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw new StepFailure({ code: 'INVALID_INPUT', message: `for_each of step "${id}" did not resolve to a list`, step: id })
  if (value.length > max) throw new StepFailure({ code: 'INVALID_INPUT', message: `for_each of step "${id}" has ${value.length} items, more than max_items ${max}; split the input`, step: id })
  return value
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)

function textOf(result: CallToolResult): string {
  const first = result.content?.[0]
  return first && first.type === 'text' ? first.text : 'tool error'
}

// Results are stored as JSON; oversized ones keep only their size so a run row stays small.
function storable(records: StepRecord[]): StepRecord[] {
  return records.map((r) => {
    const copy: StepRecord = { ...r }
    if (copy.result !== undefined && JSON.stringify(copy.result).length > MAX_STORED_RESULT) {
      copy.result = { truncated: true, characters: JSON.stringify(copy.result).length }
    }
    if (copy.iterations) copy.iterations = copy.iterations.map((it) => Object.fromEntries(Object.entries(it).map(([k, v]) => [k, storable([v])[0]!])))
    return copy
  })
}

async function saveProgress(options: RunOptions, records: StepRecord[]): Promise<void> {
  const { error, status } = await options.db.from('workflow_runs').update({ step_results: storable(records) }).eq('id', options.runId)
  if (error) throw mapDataError(error, status, 'update')
}

async function finish(options: RunOptions, records: StepRecord[], failure: Record<string, unknown> | null): Promise<Row> {
  const { data, error, status } = await options.db.from('workflow_runs').update({
    status: failure ? 'failed' : 'succeeded',
    step_results: storable(records),
    error: failure,
    finished_at: new Date().toISOString(),
  }).eq('id', options.runId).select('*').single()
  if (error) throw mapDataError(error, status, 'update')
  return data as Row
}
