/**
 * The 27 operations of spec §0 (`shared/spec/atoms-domain.md`, "Tools") and the recorder that
 * proves the suite called every one of them, per transport.
 */
import type { McpTransport } from '../../../fixtures/index.ts'

/** The five tools and their operations, as §0 lists them. */
export const SPEC_OPERATIONS = {
  workspace: ['list_workspaces', 'create_workspace', 'read_workspace', 'update_workspace', 'delete_workspace', 'list_projects', 'get_workspace_info'],
  entity: ['list_entities', 'create_entity', 'read_entity', 'update_entity', 'delete_entity', 'search_entities'],
  relationship: ['create_relationship', 'list_relationships', 'update_relationship', 'delete_relationship', 'get_relationship_graph'],
  workflow: ['create_workflow', 'execute_workflow', 'get_workflow_status', 'list_workflows', 'delete_workflow'],
  query: ['query_entities', 'advanced_search', 'get_query_stats', 'export_results'],
} as const

/** A tool of §0. */
export type ToolName = keyof typeof SPEC_OPERATIONS

/** Every operation of §0 as `tool.operation`, sorted. */
export const ALL_OPERATIONS: readonly string[] = Object.entries(SPEC_OPERATIONS)
  .flatMap(([tool, operations]) => operations.map((operation) => `${tool}.${operation}`))
  .sort()

/** What one transport's flows covered, compared with §0. */
export interface Coverage {
  transport: McpTransport
  /** Operations called successfully at least once, sorted. */
  called: string[]
  /** Operations of §0 never called successfully. */
  missing: string[]
  /** Operations called that §0 does not list. */
  extra: string[]
}

/** Records every successful tool call of the suite, per transport, and the users the flows signed in. */
export class OperationRecorder {
  #called = new Map<McpTransport, Set<string>>()
  #users = new Set<string>()

  /** Notes users a flow signed in, so the suite can check nothing of theirs outlives the flow. */
  noteUsers(...ids: string[]): void {
    for (const id of ids) this.#users.add(id)
  }

  /** Every user noted so far. */
  get users(): string[] {
    return [...this.#users]
  }

  /** Notes that `tool.operation` answered without an error over `transport`. */
  record(transport: McpTransport, tool: string, operation: string): void {
    let set = this.#called.get(transport)
    if (!set) this.#called.set(transport, (set = new Set()))
    set.add(`${tool}.${operation}`)
  }

  /** The coverage of `transport` against the 27 operations of §0. */
  coverage(transport: McpTransport): Coverage {
    const called = [...(this.#called.get(transport) ?? [])].sort()
    return {
      transport,
      called,
      missing: ALL_OPERATIONS.filter((op) => !called.includes(op)),
      extra: called.filter((op) => !ALL_OPERATIONS.includes(op)),
    }
  }
}

/** One line per problem, for an assertion message. */
export function formatCoverage(coverage: Coverage): string {
  const parts = [
    coverage.missing.length > 0 ? `never called: ${coverage.missing.map((op) => `"${op}"`).join(', ')}` : '',
    coverage.extra.length > 0 ? `not in §0: ${coverage.extra.map((op) => `"${op}"`).join(', ')}` : '',
  ].filter(Boolean)
  return parts.length === 0 ? `"${coverage.transport}" called all ${ALL_OPERATIONS.length} operations` : `over "${coverage.transport}": ${parts.join('; ')}`
}
