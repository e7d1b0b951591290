/**
 * The `workflow` tool: stored steps and templates, runs as the caller with per-step results,
 * stop at the first failure, background runs, against the emulator over PGlite (dry).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Stack, TestUser } from './test-utils.ts'

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { countRows, fails, ok, openStack } from './test-utils.ts'

let stack: Stack
let alice: TestUser
let bob: TestUser
let a: Client
let b: Client
let ws: string

const run = (client: Client, workflow_id: string, inputs: Record<string, unknown> = {}, wait_ms?: number) =>
  ok(client, 'workflow', { operation: 'execute_workflow', workflow_id, inputs, ...(wait_ms === undefined ? {} : { wait_ms }) })
const fromTemplate = (template: string) =>
  ok(a, 'workflow', { operation: 'create_workflow', workspace_id: ws, template }).then((r) => r.item.id as string)

beforeAll(async () => {
  stack = await openStack('dry')
  alice = await stack.signUp('alice')
  bob = await stack.signUp('bob')
  a = await stack.connect(alice)
  b = await stack.connect(bob)
  ws = (await ok(a, 'workspace', { operation: 'create_workspace', name: 'Flows' })).item.id
})
afterAll(async () => {
  await a?.close()
  await b?.close()
  await stack?.close()
})

describe('create_workflow', () => {
  test('static checks: operations, references, loops, exactly one of steps/template', async () => {
    const bad = (steps: unknown[]) => fails(a, 'workflow', { operation: 'create_workflow', workspace_id: ws, name: 'Bad', steps })
    expect((await bad([{ id: 'x', tool: 'entity', operation: 'explode' }])).message).toContain('has no operation "explode"')
    expect((await bad([{ id: 'x', tool: 'entity', operation: 'read_entity', args: { id: '${steps.y.item.id}' } }, { id: 'y', tool: 'entity', operation: 'read_entity' }])).message).toContain('earlier step')
    expect((await bad([{ id: 'x', tool: 'entity', operation: 'read_entity', args: { id: '${item}' } }])).message).toContain('for_each')
    expect((await bad([{ id: 'x', tool: 'workflow', operation: 'execute_workflow' }])).code).toBe('INVALID_INPUT')
    expect((await bad([{ id: 'x', tool: 'entity', operation: 'read_entity' }, { id: 'x', tool: 'entity', operation: 'read_entity' }])).message).toContain('duplicate')
    expect((await fails(a, 'workflow', { operation: 'create_workflow', workspace_id: ws, template: 'setup_project', steps: [{ id: 'x', tool: 'entity', operation: 'read_entity' }] })).code).toBe('INVALID_INPUT')
    expect((await fails(b, 'workflow', { operation: 'create_workflow', workspace_id: ws, template: 'setup_project' })).code).toBe('NOT_FOUND')
  })
})

describe('execute_workflow', () => {
  test('custom steps with references run in order and record per-step results', async () => {
    const { item } = await ok(a, 'workflow', {
      operation: 'create_workflow', workspace_id: ws, name: 'Project with doc',
      steps: [
        { id: 'project', tool: 'entity', operation: 'create_entity', args: { entity_type: 'project', data: { organization_id: '${workflow.organization_id}', name: '${inputs.name}' } } },
        { id: 'doc', tool: 'entity', operation: 'create_entity', args: { entity_type: 'document', data: { project_id: '${steps.project.item.id}', name: 'Doc of ${inputs.name}' } } },
      ],
    })
    const result = await run(a, item.id, { name: 'Flowed' })
    expect(result.status).toBe('succeeded')
    expect(result.run.step_results.map((s: any) => [s.id, s.status])).toEqual([['project', 'succeeded'], ['doc', 'succeeded']])
    const docRow = result.run.step_results[1].result.item
    expect(docRow).toMatchObject({ name: 'Doc of Flowed', created_by: alice.id })
    const status = await ok(a, 'workflow', { operation: 'get_workflow_status', run_id: result.run_id })
    expect(status).toMatchObject({ status: 'succeeded', run: { workflow_id: item.id, created_by: alice.id } })
    expect(status.run.finished_at).toBeTruthy()
  })

  test('the first failing step stops the run and is recorded', async () => {
    const { item } = await ok(a, 'workflow', {
      operation: 'create_workflow', workspace_id: ws, name: 'Fails in the middle',
      steps: [
        { id: 'ok', tool: 'workspace', operation: 'read_workspace', args: { id: '${workflow.organization_id}' } },
        { id: 'missing', tool: 'entity', operation: 'read_entity', args: { entity_type: 'project', id: '00000000-0000-0000-0000-000000000000' } },
        { id: 'never', tool: 'entity', operation: 'create_entity', args: { entity_type: 'project', data: { organization_id: '${workflow.organization_id}', name: 'Never made' } } },
      ],
    })
    const result = await run(a, item.id)
    expect(result.status).toBe('failed')
    expect(result.run.error).toMatchObject({ code: 'NOT_FOUND', step: 'missing' })
    expect(result.run.step_results.map((s: any) => `${s.id}:${s.status}`)).toEqual(['ok:succeeded', 'missing:failed'])
    expect(await countRows(stack.db, 'projects', 'name = $1', ['Never made'])).toBe(0)
  })

  test('a run past wait_ms continues in the background; get_workflow_status sees it finish', async () => {
    const id = await fromTemplate('setup_project')
    const started = await run(a, id, { name: 'Background', initial_documents: ['One', 'Two', 'Three'] }, 0)
    expect(started.status).toBe('running')
    let status = started
    for (let i = 0; i < 100 && status.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      status = await ok(a, 'workflow', { operation: 'get_workflow_status', run_id: started.run_id })
    }
    expect(status.status).toBe('succeeded')
    expect(status.run.step_results.at(-1).iterations).toHaveLength(3)
  })

  test('runs of foreign workflows and their status are NOT_FOUND', async () => {
    const id = await fromTemplate('organization_onboarding')
    expect((await fails(b, 'workflow', { operation: 'execute_workflow', workflow_id: id, inputs: { name: 'Sneaky' } })).code).toBe('NOT_FOUND')
    const mine = await run(a, id, { name: 'Onboarded Co', create_starter_project: false })
    expect((await fails(b, 'workflow', { operation: 'get_workflow_status', run_id: mine.run_id })).code).toBe('NOT_FOUND')
    expect(mine.status).toBe('succeeded')
    expect(mine.run.step_results.map((s: any) => s.status)).toEqual(['succeeded', 'succeeded', 'skipped'])
  })
})

describe('templates', () => {
  test('setup_project and import_requirements', async () => {
    const setup = await run(a, await fromTemplate('setup_project'), { name: 'Templated', description: 'by template', initial_documents: ['Overview'] })
    expect(setup.status).toBe('succeeded')
    const projectId = setup.run.step_results[1].result.item.id
    const docId = setup.run.step_results[2].iterations[0].document.result.item.id
    const imported = await run(a, await fromTemplate('import_requirements'), {
      document_id: docId,
      requirements: [{ name: 'Shall A' }, { name: 'Shall B', priority: 'critical' }, { name: 'Shall C', priority: 'high' }],
    })
    expect(imported.status).toBe('succeeded')
    const reqs = await ok(a, 'entity', { operation: 'list_entities', entity_type: 'requirement', parent_id: docId, order_by: 'name' })
    expect(reqs.items.map((r: any) => `${r.name}/${r.priority}/${r.status}`)).toEqual(['Shall A/medium/active', 'Shall B/critical/active', 'Shall C/high/active'])

    const matrix = await run(a, await fromTemplate('setup_test_matrix'), { project_id: projectId })
    expect(matrix.status).toBe('succeeded')
    expect(await countRows(stack.db, 'test_req', 'project_id = $1', [projectId])).toBe(2)
    expect(await countRows(stack.db, 'requirement_tests rt join public.requirements r on r.id = rt.requirement_id', 'r.document_id = $1', [docId])).toBe(2)

    const ids = reqs.items.map((r: any) => r.id)
    const bulk = await run(a, await fromTemplate('bulk_status_update'), { entity_type: 'requirement', entity_ids: ids, new_status: 'approved' })
    expect(bulk.status).toBe('succeeded')
    expect(await countRows(stack.db, 'requirements', 'document_id = $1 and status = $2', [docId, 'approved'])).toBe(3)
  })

  test('missing template inputs fail the check step; organization_onboarding makes a starter project', async () => {
    const id = await fromTemplate('organization_onboarding')
    const missing = await run(a, id, {})
    expect(missing).toMatchObject({ status: 'failed', run: { error: { code: 'INVALID_INPUT', step: 'check' } } })
    const done = await run(a, id, { name: 'Starter Co' })
    expect(done.status).toBe('succeeded')
    const newWs = done.run.step_results[1].result.item.id
    expect(await countRows(stack.db, 'projects', 'organization_id = $1 and name = $2', [newWs, 'Getting Started'])).toBe(1)
  })
})

describe('list_workflows and delete_workflow', () => {
  test('list in the workspace; soft delete hides it from listing and running', async () => {
    const id = await fromTemplate('bulk_status_update')
    const listed = await ok(a, 'workflow', { operation: 'list_workflows', workspace_id: ws, limit: 100 })
    expect(listed.items.map((w: any) => w.id)).toContain(id)
    expect((await ok(b, 'workflow', { operation: 'list_workflows', workspace_id: ws })).total).toBe(0)
    expect((await fails(b, 'workflow', { operation: 'delete_workflow', id })).code).toBe('NOT_FOUND')
    await ok(a, 'workflow', { operation: 'delete_workflow', id })
    expect((await ok(a, 'workflow', { operation: 'list_workflows', workspace_id: ws, limit: 100 })).items.map((w: any) => w.id)).not.toContain(id)
    expect((await fails(a, 'workflow', { operation: 'execute_workflow', workflow_id: id })).code).toBe('NOT_FOUND')
    await ok(a, 'workflow', { operation: 'delete_workflow', id, hard: true })
    expect(await countRows(stack.db, 'workflows', 'id = $1', [id])).toBe(0)
  })
})
