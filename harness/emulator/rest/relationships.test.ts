import { describe, expect, test } from 'vitest'
import { findRelationship, isToOne } from './relationships.ts'
import { fakeCatalog } from './test/test-utils.ts'

const catalog = fakeCatalog()

describe('findRelationship', () => {
  test('many-to-one by table, FK column or constraint', () => {
    for (const target of ['orgs', 'org_id', 'projects_org_id_fkey']) {
      const rel = findRelationship(catalog, 'projects', target)
      expect(rel).toMatchObject({ foreignTable: 'orgs', cardinality: 'M2O', columns: [['org_id', 'id']] })
      expect(isToOne(rel)).toBe(true)
    }
  })

  test('one-to-many is an array; a unique FK makes one-to-one', () => {
    const tasks = findRelationship(catalog, 'projects', 'tasks')
    expect(tasks).toMatchObject({ cardinality: 'O2M', columns: [['id', 'project_id']] })
    expect(isToOne(tasks)).toBe(false)
    expect(findRelationship(catalog, 'projects', 'project_details')).toMatchObject({ cardinality: 'O2O' })
    expect(findRelationship(catalog, 'project_details', 'projects')).toMatchObject({ cardinality: 'O2O' })
  })

  test('two FKs are ambiguous (PGRST201, 300) until a hint picks one', () => {
    expect(() => findRelationship(catalog, 'handoffs', 'projects')).toThrowError(
      expect.objectContaining({
        status: 300,
        code: 'PGRST201',
        hint: "Try changing 'projects' to one of the following: 'projects!handoffs_from_project_fkey', 'projects!handoffs_to_project_fkey'. Find the desired relationship in the 'details' key.",
      }),
    )
    expect(findRelationship(catalog, 'handoffs', 'projects', 'to_project')).toMatchObject({ constraint: 'handoffs_to_project_fkey' })
    expect(findRelationship(catalog, 'handoffs', 'projects', 'handoffs_from_project_fkey')).toMatchObject({ constraint: 'handoffs_from_project_fkey' })
    expect(findRelationship(catalog, 'projects', 'handoffs', 'from_project')).toMatchObject({ cardinality: 'O2M', columns: [['id', 'from_project']] })
  })

  test('self relationships: table name is the children, FK column the parent', () => {
    expect(findRelationship(catalog, 'tasks', 'tasks')).toMatchObject({ cardinality: 'O2M', columns: [['id', 'parent_id']] })
    expect(findRelationship(catalog, 'tasks', 'parent_id')).toMatchObject({ cardinality: 'M2O', columns: [['parent_id', 'id']] })
  })

  test('no relationship is PGRST200; junctions and views answer unsupported', () => {
    expect(() => findRelationship(catalog, 'tasks', 'orgs')).toThrowError(
      expect.objectContaining({
        status: 400,
        code: 'PGRST200',
        message: "Could not find a relationship between 'tasks' and 'orgs' in the schema cache",
        details: "Searched for a foreign key relationship between 'tasks' and 'orgs' in the schema 'public', but no matches were found.",
      }),
    )
    expect(() => findRelationship(catalog, 'projects', 'orgs', 'nope')).toThrowError(expect.objectContaining({ details: expect.stringContaining("using the hint 'nope'") }))
    expect(() => findRelationship(catalog, 'orgs', 'members_x')).toThrowError(expect.objectContaining({ code: 'PGRST200' }))
    expect(() => findRelationship(catalog, 'projects', 'labels')).toThrowError(
      expect.objectContaining({ status: 501, details: expect.stringContaining('Many-to-many embedding ("projects" to "labels" through "project_labels")') }),
    )
    expect(() => findRelationship(catalog, 'projects', 'project_names')).toThrowError(expect.objectContaining({ status: 501, details: expect.stringContaining('views') }))
  })
})
