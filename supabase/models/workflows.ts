/** workflows, workflow_runs (migration 20250101000400). */
import { softDelete, timestamps } from './common.ts'
import { col } from './column.ts'
import { defineTable, fk } from './table.ts'

export const workflows = defineTable({
  name: 'workflows',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    organization_id: col.uuid(),
    name: col.text(),
    description: col.text().nullable(),
    steps: col.jsonb().withDefault(),
    version: col.integer().withDefault(),
    ...softDelete(),
    ...timestamps(),
    created_by: col.uuid(),
    updated_by: col.uuid().nullable(),
  },
  foreignKeys: [fk('workflows_organization_id_fkey', 'organization_id', 'organizations')],
  checks: ['workflows_name_length', 'workflows_steps_is_array', 'workflows_version_check'],
})

export const workflowRuns = defineTable({
  name: 'workflow_runs',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    workflow_id: col.uuid(),
    status: col.enum('workflow_run_status').withDefault(),
    inputs: col.jsonb().withDefault(),
    step_results: col.jsonb().withDefault(),
    error: col.jsonb().nullable(),
    started_at: col.timestamptz().nullable(),
    finished_at: col.timestamptz().nullable(),
    created_by: col.uuid(),
    ...timestamps(),
  },
  foreignKeys: [fk('workflow_runs_workflow_id_fkey', 'workflow_id', 'workflows', 'cascade')],
  checks: ['workflow_runs_step_results_is_array', 'workflow_runs_finished_after_start'],
})
