/**
 * The five workflow templates of the reference product (spec §3.6), rewritten as stored step
 * lists: `create_workflow` with `template` stores these steps; `execute_workflow` supplies the
 * inputs each one names.
 */
import type { StepInput } from './steps.ts'

/** Template names of `create_workflow.template`. */
export const TEMPLATE_NAMES = ['setup_project', 'import_requirements', 'setup_test_matrix', 'bulk_status_update', 'organization_onboarding'] as const
export type TemplateName = (typeof TEMPLATE_NAMES)[number]

/** A template: its title, what it expects as inputs, and its steps. */
export interface Template {
  title: string
  inputs: string
  steps: StepInput[]
}

/** Every template, keyed by name. */
export const TEMPLATES: Record<TemplateName, Template> = {
  setup_project: {
    title: 'Set up a project',
    inputs: 'name*, description, initial_documents (list of document names)',
    steps: [
      { id: 'check', require: ['inputs.name'] },
      {
        id: 'project', tool: 'entity', operation: 'create_entity',
        args: { entity_type: 'project', data: { organization_id: '${workflow.organization_id}', name: '${inputs.name}', description: '${inputs.description}' } },
      },
      {
        id: 'documents', for_each: '${inputs.initial_documents}', max_items: 50,
        do: [{ id: 'document', tool: 'entity', operation: 'create_entity', args: { entity_type: 'document', data: { project_id: '${steps.project.item.id}', name: '${item}' } } }],
      },
    ],
  },
  import_requirements: {
    title: 'Import requirements into a document',
    inputs: 'document_id*, requirements* (list of requirement data objects; status defaults to "active", priority to "medium")',
    steps: [
      { id: 'check', require: ['inputs.document_id', 'inputs.requirements'] },
      { id: 'document', tool: 'entity', operation: 'read_entity', args: { entity_type: 'document', id: '${inputs.document_id}' } },
      {
        id: 'requirements', for_each: '${inputs.requirements}', max_items: 200,
        do: [{
          id: 'requirement', tool: 'entity', operation: 'create_entity',
          args: { entity_type: 'requirement', data: { $merge: [{ status: 'active', priority: 'medium' }, '${item}', { document_id: '${inputs.document_id}' }] } },
        }],
      },
    ],
  },
  setup_test_matrix: {
    title: 'Create a test for every high or critical requirement of a project',
    inputs: 'project_id*',
    steps: [
      { id: 'check', require: ['inputs.project_id'] },
      {
        id: 'documents', tool: 'query', operation: 'query_entities',
        args: { entity_type: 'document', where: [{ field: 'project_id', op: 'eq', value: '${inputs.project_id}' }], select: ['id'], limit: 100 },
      },
      {
        id: 'requirements', tool: 'query', operation: 'query_entities', when: '${steps.documents.total}',
        args: {
          entity_type: 'requirement',
          where: [
            { field: 'document_id', op: 'in', value: '${steps.documents.items.*.id}' },
            { field: 'priority', op: 'in', value: ['high', 'critical'] },
          ],
          select: ['id', 'name', 'priority'],
          limit: 100,
        },
      },
      {
        id: 'matrix', for_each: '${steps.requirements.items}',
        do: [
          {
            id: 'test', tool: 'entity', operation: 'create_entity',
            args: { entity_type: 'test', data: { project_id: '${inputs.project_id}', title: '${item.name}', description: 'Verifies requirement ${item.id}', priority: 'high', test_type: 'acceptance' } },
          },
          {
            id: 'link', tool: 'relationship', operation: 'create_relationship',
            args: { kind: 'requirement_test', source_id: '${item.id}', target_id: '${iter.test.item.id}' },
          },
        ],
      },
    ],
  },
  bulk_status_update: {
    title: 'Set the status of many rows of one type',
    inputs: 'entity_type*, entity_ids* (list of ids), new_status*',
    steps: [
      { id: 'check', require: ['inputs.entity_type', 'inputs.entity_ids', 'inputs.new_status'] },
      {
        id: 'updates', for_each: '${inputs.entity_ids}', max_items: 200,
        do: [{ id: 'update', tool: 'entity', operation: 'update_entity', args: { entity_type: '${inputs.entity_type}', id: '${item}', data: { status: '${inputs.new_status}' } } }],
      },
    ],
  },
  organization_onboarding: {
    title: 'Create a workspace, optionally with a starter project',
    inputs: 'name*, slug, description, type, create_starter_project (default true)',
    steps: [
      { id: 'check', require: ['inputs.name'] },
      {
        id: 'workspace', tool: 'workspace', operation: 'create_workspace',
        args: { name: '${inputs.name}', slug: '${inputs.slug}', description: '${inputs.description}', type: '${inputs.type}' },
      },
      {
        id: 'starter_project', tool: 'entity', operation: 'create_entity', when: '${inputs.create_starter_project}',
        args: { entity_type: 'project', data: { organization_id: '${steps.workspace.item.id}', name: 'Getting Started', description: 'A first project to try things out' } },
      },
    ],
  },
}
