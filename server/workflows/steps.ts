/**
 * What a stored workflow is made of: an ordered list of steps, each one of
 * - a call: `{id, tool, operation, args, when?}` — one operation of another tool;
 * - a loop: `{id, for_each, do: [calls], when?, max_items?}` — the calls once per list item;
 * - a check: `{id, require: [paths]}` — fails the run when an input is missing.
 * Step ids are unique; references may only point at earlier steps (checked at create time).
 */
import { z } from 'zod'
import { ExpressionError, parsePath, referencedPaths } from './expressions.ts'

/** Tools a step may call (not `workflow`: runs do not start runs). */
export const STEP_TOOLS = ['workspace', 'entity', 'relationship', 'query'] as const

const stepId = () => z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lowercase letters, digits and "_", starting with a letter (max 40)')
  .describe('Step id, unique in the workflow; later steps refer to its result as ${steps.<id>...}')
const when = () => z.union([z.boolean(), z.string().max(200)]).optional()
  .describe('Skip the step when this resolves to false, null, 0 or "" (a missing value runs it)')

const callStep = z.strictObject({
  id: stepId(),
  tool: z.enum(STEP_TOOLS).describe('Tool to call'),
  operation: z.string().min(1).max(64).describe('Operation of that tool'),
  args: z.record(z.string(), z.unknown()).default({}).describe('Arguments (without "operation"); strings may hold ${inputs.x}, ${steps.id.path}, ${item}, ${iter.id.path} references'),
  when: when(),
})

/** One step of a workflow. */
export const stepSchema = z.union([
  callStep,
  z.strictObject({
    id: stepId(),
    for_each: z.string().min(4).max(200).describe('Reference to a list, e.g. "${inputs.names}"; a missing list runs zero times'),
    do: z.array(callStep).min(1).max(5).describe('Calls to run for each item (${item}, ${index}, ${iter.<id>} available)'),
    max_items: z.number().int().min(1).max(200).default(100).describe('Fail the run when the list is longer (default 100)'),
    when: when(),
  }),
  z.strictObject({
    id: stepId(),
    require: z.array(z.string().min(1).max(200)).min(1).max(20).describe('Paths that must have a value, e.g. "inputs.name"'),
  }),
])

/** A step as written (defaults not yet applied). */
export type StepInput = z.input<typeof stepSchema>
/** A parsed step. */
export type Step = z.output<typeof stepSchema>
/** A parsed call step. */
export type CallStep = z.output<typeof callStep>

/** The list of steps of a workflow: 1..50 of them. */
export const stepsSchema = z.array(stepSchema).min(1).max(50)

/**
 * Static checks: unique ids, known operations, references only to earlier steps (and to
 * `item`/`iter` only inside loops). Returns one message per problem.
 */
export function checkSteps(steps: Step[], operationsOf: (tool: string) => string[]): Array<{ path: (string | number)[], message: string }> {
  const problems: Array<{ path: (string | number)[], message: string }> = []
  const seen = new Set<string>()
  const checkCall = (call: CallStep, path: (string | number)[], loopIds: Set<string> | null) => {
    const ops = operationsOf(call.tool)
    if (!ops.includes(call.operation)) problems.push({ path: [...path, 'operation'], message: `tool "${call.tool}" has no operation "${call.operation}"; use one of: ${ops.join(', ')}` })
    if ('operation' in call.args) problems.push({ path: [...path, 'args', 'operation'], message: 'put the operation in "operation", not in "args"' })
    checkRefs([call.args, call.when], [...path, 'args'], loopIds)
  }
  const checkRefs = (values: unknown[], path: (string | number)[], loopIds: Set<string> | null) => {
    let refs: string[][]
    try {
      refs = values.flatMap((v) => referencedPaths(v))
    } catch (error) {
      problems.push({ path, message: error instanceof ExpressionError ? error.message : String(error) })
      return
    }
    for (const [root, id] of refs) {
      if (root === 'steps' && (!id || !seen.has(id))) problems.push({ path, message: `"\${steps.${id ?? ''}}" does not name an earlier step` })
      if ((root === 'item' || root === 'index') && !loopIds) problems.push({ path, message: `"\${${root}}" is only available inside "do" of a for_each step` })
      if (root === 'iter' && (!loopIds || !id || !loopIds.has(id))) problems.push({ path, message: `"\${iter.${id ?? ''}}" does not name an earlier call of the same "do" list` })
    }
  }
  steps.forEach((step, i) => {
    if (seen.has(step.id)) problems.push({ path: [i, 'id'], message: `duplicate step id "${step.id}"` })
    if ('tool' in step) checkCall(step, [i], null)
    else if ('for_each' in step) {
      checkRefs([step.for_each, step.when], [i, 'for_each'], null)
      const loopIds = new Set<string>()
      step.do.forEach((call, j) => {
        checkCall(call, [i, 'do', j], loopIds)
        loopIds.add(call.id)
      })
    } else {
      for (const [j, p] of step.require.entries()) {
        try {
          parsePath(p)
        } catch (error) {
          problems.push({ path: [i, 'require', j], message: error instanceof Error ? error.message : String(error) })
        }
      }
    }
    seen.add(step.id)
  })
  return problems
}
