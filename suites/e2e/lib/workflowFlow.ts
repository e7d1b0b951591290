/**
 * Workflow flow over MCP: create_workflow (own steps, and a template) → execute_workflow →
 * get_workflow_status and list_workflows → delete_workflow. The runs create rows as their
 * caller, so RLS applies to every step; the other user can neither run nor read them.
 */
import type { SuiteFixtures } from '../../../fixtures/index.ts'
import type { Content } from './Actor.ts'
import type { Both, Pair } from './sides.ts'
import type { FlowSetup } from './setup.ts'
import { expect, workflowSteps } from '../../../fixtures/index.ts'
import { expectNotFound, expectNothing, expectRefused } from './rls.ts'
import { eachSide } from './sides.ts'
import { resume, startFlow, trackRow } from './setup.ts'

/** A stored workflow of the owner's: a project with one document, named by the run's inputs. */
const PROJECT_WITH_SPEC = [
  { id: 'project', tool: 'entity', operation: 'create_entity', args: { entity_type: 'project', data: { organization_id: '${workflow.organization_id}', name: '${inputs.name}' } } },
  { id: 'spec', tool: 'entity', operation: 'create_entity', args: { entity_type: 'document', data: { project_id: '${steps.project.item.id}', name: 'Spec of ${inputs.name}' } } },
]

interface Workflows {
  ws: Content
  custom: Content
  template: Content
}

/** The create step's result. */
export interface WorkflowState {
  pair: Pair
  rows: Both<Workflows>
}

/** Both runs of one side: the custom workflow's and the template's. */
type Runs = Both<Content>

/** The workflow flow's steps for one transport. */
export function workflowFlowSteps(setup: FlowSetup) {
  return workflowSteps<SuiteFixtures, WorkflowState, Both<Runs>>({
    create: async ({ backend, user, mcp, service, harmful, workspace }) => {
      const { pair, sides } = await startFlow({ backend, user, mcp }, setup)
      const rows = await eachSide(sides, async ({ owner, intruder }) => {
        const ws = await workspace({ as: owner.user, name: `${owner.name} flows` })
        const custom = await owner.ok('workflow', { operation: 'create_workflow', workspace_id: ws.id, name: 'Project with a spec', steps: PROJECT_WITH_SPEC })
        trackRow(harmful, 'workflows', custom.item.id)
        expect(custom.item).toMatchObject({ organization_id: ws.id, name: 'Project with a spec', steps: PROJECT_WITH_SPEC, version: 1, created_by: owner.user.id })
        const template = await owner.ok('workflow', { operation: 'create_workflow', workspace_id: ws.id, template: 'setup_project' })
        trackRow(harmful, 'workflows', template.item.id)
        expect(template.item).toMatchObject({ organization_id: ws.id, name: 'Set up a project', created_by: owner.user.id })
        expect(template.item.steps.map((s: Content) => s.id)).toEqual(['check', 'project', 'documents'])

        await expectRefused(service, intruder, 'workflow', { operation: 'create_workflow', workspace_id: ws.id, template: 'setup_project' },
          { table: 'workflows', match: { organization_id: ws.id } })
        return { ws, custom: custom.item, template: template.item }
      })
      return { pair, rows }
    },

    execute: async ({ mcp, service, harmful }, { pair, rows }) => {
      return eachSide(await resume(mcp, pair, setup), async ({ owner, intruder, index }): Promise<Runs> => {
        const { ws, custom, template } = rows[index]
        const projectsOfWs = { table: 'projects', match: { organization_id: ws.id } }
        await expectRefused(service, intruder, 'workflow', { operation: 'execute_workflow', workflow_id: custom.id, inputs: { name: 'Hijacked run' } },
          [{ table: 'workflow_runs', match: { workflow_id: custom.id } }, projectsOfWs])

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

        // What the database holds: the two projects the runs made, as the owner.
        const { data } = await service.from('projects').select('name, created_by').eq('organization_id', ws.id).order('name')
        expect(data).toEqual([{ name: 'Flowed', created_by: owner.user.id }, { name: 'Templated', created_by: owner.user.id }])
        return [first, second]
      })
    },

    status: async ({ mcp }, { workflow, run }) => {
      await eachSide(await resume(mcp, workflow.pair, setup), async ({ owner, intruder, index }) => {
        const { ws, custom, template } = workflow.rows[index]
        for (const executed of run[index]) {
          const status = await owner.ok('workflow', { operation: 'get_workflow_status', run_id: executed.run_id })
          expect(status).toMatchObject({ run_id: executed.run_id, status: 'succeeded', run: { id: executed.run_id, created_by: owner.user.id } })
          expect(status.run.step_results).toEqual(executed.run.step_results)
          expect(status.run.finished_at).toBeTruthy()
          await expectNotFound(intruder, 'workflow', { operation: 'get_workflow_status', run_id: executed.run_id })
        }
        const listed = await owner.ok('workflow', { operation: 'list_workflows', workspace_id: ws.id })
        expect(listed.total).toBe(2)
        expect(listed.items.map((w: Content) => w.id).sort()).toEqual([custom.id, template.id].sort())
        await expectNothing(intruder, 'workflow', { operation: 'list_workflows', workspace_id: ws.id })
        return run[index].map((r) => r.status)
      })
    },

    delete: async ({ mcp, service }, { workflow }) => {
      await eachSide(await resume(mcp, workflow.pair, setup), async ({ owner, intruder, index }) => {
        const { ws, custom, template } = workflow.rows[index]
        const customRow = { table: 'workflows', match: { id: custom.id } }
        await expectRefused(service, intruder, 'workflow', { operation: 'delete_workflow', id: custom.id }, customRow)
        await expectRefused(service, intruder, 'workflow', { operation: 'delete_workflow', id: template.id, hard: true },
          [{ table: 'workflows', match: { id: template.id } }, { table: 'workflow_runs', match: { workflow_id: template.id } }])

        const soft = await owner.ok('workflow', { operation: 'delete_workflow', id: custom.id })
        expect(soft).toMatchObject({ id: custom.id, hard: false, item: { is_deleted: true, deleted_by: owner.user.id } })
        // A deleted workflow no longer runs, and nothing is recorded for the attempt.
        await expectRefused(service, owner, 'workflow', { operation: 'execute_workflow', workflow_id: custom.id, inputs: { name: 'Too late' } },
          { table: 'workflow_runs', match: { workflow_id: custom.id } }, ['NOT_FOUND'])
        const hard = await owner.ok('workflow', { operation: 'delete_workflow', id: template.id, hard: true })
        expect(hard).toMatchObject({ id: template.id, hard: true })

        const listed = await owner.ok('workflow', { operation: 'list_workflows', workspace_id: ws.id, include_deleted: true })
        expect(listed.items.map((w: Content) => [w.id, w.is_deleted])).toEqual([[custom.id, true]])
        const { data } = await service.from('workflow_runs').select('id').eq('workflow_id', template.id)
        expect(data).toEqual([])
      })
    },
  })
}
