/**
 * Workflow flow over MCP: create_workflow (own steps, and a template) → execute_workflow →
 * get_workflow_status and list_workflows → delete_workflow. Runs create rows as their caller,
 * so RLS applies to every step; the intruder can neither run nor read them.
 */
import type { SuiteFixtures } from '../../../fixtures/index.ts'
import type { Content } from './Actor.ts'
import type { Pair } from './sides.ts'
import type { FlowSetup } from './setup.ts'
import { expect, workflowSteps } from '../../../fixtures/index.ts'
import { expectNotFound, expectNothing, expectRefused } from './rls.ts'
import { resume, startFlow, trackRow } from './setup.ts'

/** A stored workflow of the owner's: a project with one document, named by the run's inputs. */
const PROJECT_WITH_SPEC = [
  { id: 'project', tool: 'entity', operation: 'create_entity', args: { entity_type: 'project', data: { organization_id: '${workflow.organization_id}', name: '${inputs.name}' } } },
  { id: 'spec', tool: 'entity', operation: 'create_entity', args: { entity_type: 'document', data: { project_id: '${steps.project.item.id}', name: 'Spec of ${inputs.name}' } } },
]

/** The create step's result: the workspace and its two workflows. */
export interface WorkflowState {
  pair: Pair
  ws: Content
  custom: Content
  template: Content
}

/** The runs of both workflows: `[custom, template]`. */
type Runs = [Content, Content]

/** The workflow flow's steps for one transport. */
export function workflowFlowSteps(setup: FlowSetup) {
  return workflowSteps<SuiteFixtures, WorkflowState, Runs>({
    create: async ({ backend, user, mcp, service, harmful, workspace }) => {
      const { pair, owner, intruder } = await startFlow({ backend, user, mcp }, setup)
      const ws = await workspace({ as: owner.user, name: 'owner flows' })
      const custom = await owner.ok('workflow', { operation: 'create_workflow', workspace_id: ws.id, name: 'Project with a spec', steps: PROJECT_WITH_SPEC })
      trackRow(harmful, 'workflows', custom.item.id)
      expect(custom.item).toMatchObject({ organization_id: ws.id, name: 'Project with a spec', steps: PROJECT_WITH_SPEC, version: 1, created_by: owner.user.id })
      const template = await owner.ok('workflow', { operation: 'create_workflow', workspace_id: ws.id, template: 'setup_project' })
      trackRow(harmful, 'workflows', template.item.id)
      expect(template.item).toMatchObject({ organization_id: ws.id, name: 'Set up a project', created_by: owner.user.id })
      expect(template.item.steps.map((s: Content) => s.id)).toEqual(['check', 'project', 'documents'])

      await expectRefused(service, intruder, { tool: 'workflow', args: { operation: 'create_workflow', workspace_id: ws.id, template: 'setup_project' } },
        { table: 'workflows', match: { organization_id: ws.id } })
      return { pair, ws, custom: custom.item, template: template.item }
    },

    execute: async ({ mcp, service, harmful }, { pair, ws, custom, template }): Promise<Runs> => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      await expectRefused(service, intruder, [
        { tool: 'workflow', args: { operation: 'execute_workflow', workflow_id: custom.id, inputs: { name: 'Hijacked run' } } },
        { tool: 'workflow', args: { operation: 'execute_workflow', workflow_id: template.id, inputs: { name: 'Hijacked run' } } },
      ], [{ table: 'workflow_runs', match: { workflow_id: custom.id } }, { table: 'workflow_runs', match: { workflow_id: template.id } },
        { table: 'projects', match: { organization_id: ws.id } }])

      const first = await owner.ok('workflow', { operation: 'execute_workflow', workflow_id: custom.id, inputs: { name: 'Flowed' } })
      trackRow(harmful, 'workflow_runs', first.run_id)
      const [made, spec] = first.run.step_results.map((s: Content) => s.result?.item)
      trackRow(harmful, 'projects', made?.id)
      trackRow(harmful, 'documents', spec?.id)
      expect(first).toMatchObject({ status: 'succeeded', run: { workflow_id: custom.id, created_by: owner.user.id, error: null } })
      expect(first.run.step_results.map((s: Content) => `${s.id}:${s.status}`)).toEqual(['project:succeeded', 'spec:succeeded'])
      expect([made.name, made.created_by, spec.name, spec.project_id]).toEqual(['Flowed', owner.user.id, 'Spec of Flowed', made.id])

      const second = await owner.ok('workflow', { operation: 'execute_workflow', workflow_id: template.id, inputs: { name: 'Templated', initial_documents: ['Overview', 'Risks'] } })
      trackRow(harmful, 'workflow_runs', second.run_id)
      expect(second.status).toBe('succeeded')
      const project = second.run.step_results[1]?.result?.item
      trackRow(harmful, 'projects', project?.id)
      const docs = second.run.step_results[2].iterations.map((i: Content) => i.document.result.item)
      for (const doc of docs) trackRow(harmful, 'documents', doc.id)
      expect(docs.map((d: Content) => [d.name, d.project_id])).toEqual([['Overview', project.id], ['Risks', project.id]])

      // The database holds the two projects the runs made, made by the owner.
      const { data } = await service.from('projects').select('name, created_by').eq('organization_id', ws.id).order('name')
      expect(data).toEqual([{ name: 'Flowed', created_by: owner.user.id }, { name: 'Templated', created_by: owner.user.id }])
      return [first, second]
    },

    status: async ({ mcp }, { workflow, run }) => {
      const { owner, intruder } = await resume(mcp, workflow.pair, setup)
      for (const executed of run) {
        const status = await owner.ok('workflow', { operation: 'get_workflow_status', run_id: executed.run_id })
        expect(status).toMatchObject({ run_id: executed.run_id, status: 'succeeded', run: { id: executed.run_id, created_by: owner.user.id } })
        expect(status.run.step_results).toEqual(executed.run.step_results)
        expect(status.run.finished_at).toBeTruthy()
        await expectNotFound(intruder, 'workflow', { operation: 'get_workflow_status', run_id: executed.run_id })
      }
      const listed = await owner.ok('workflow', { operation: 'list_workflows', workspace_id: workflow.ws.id })
      expect(listed.total).toBe(2)
      expect(listed.items.map((w: Content) => w.id).sort()).toEqual([workflow.custom.id, workflow.template.id].sort())
      await expectNothing(intruder, 'workflow', { operation: 'list_workflows', workspace_id: workflow.ws.id })
    },

    delete: async ({ mcp, service }, { workflow: { pair, ws, custom, template } }) => {
      const { owner, intruder } = await resume(mcp, pair, setup)
      await expectRefused(service, intruder, [
        { tool: 'workflow', args: { operation: 'delete_workflow', id: custom.id } },
        { tool: 'workflow', args: { operation: 'delete_workflow', id: template.id, hard: true } },
      ], [{ table: 'workflows', match: { organization_id: ws.id } }, { table: 'workflow_runs', match: { workflow_id: template.id } }])

      const soft = await owner.ok('workflow', { operation: 'delete_workflow', id: custom.id })
      expect(soft).toMatchObject({ id: custom.id, hard: false, item: { is_deleted: true, deleted_by: owner.user.id } })
      // A deleted workflow no longer runs, and nothing is recorded for the attempt.
      await expectRefused(service, owner, { tool: 'workflow', args: { operation: 'execute_workflow', workflow_id: custom.id, inputs: { name: 'Too late' } }, codes: ['NOT_FOUND'] },
        { table: 'workflow_runs', match: { workflow_id: custom.id } })
      expect(await owner.ok('workflow', { operation: 'delete_workflow', id: template.id, hard: true })).toMatchObject({ id: template.id, hard: true })

      const listed = await owner.ok('workflow', { operation: 'list_workflows', workspace_id: ws.id, include_deleted: true })
      expect(listed.items.map((w: Content) => [w.id, w.is_deleted])).toEqual([[custom.id, true]])
      const { data } = await service.from('workflow_runs').select('id').eq('workflow_id', template.id)
      expect(data).toEqual([])
    },
  })
}
