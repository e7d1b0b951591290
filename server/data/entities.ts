/**
 * What the tools know about each entity type: its table, its columns with their kinds, which
 * columns a caller may write on create and update, which it may filter and sort on, and how the
 * row is versioned. Everything the tools validate (data, filters, where, select, order_by) comes
 * from this one table, so a column cannot be writable in one operation and unknown in another.
 * A test checks every column listed here against the database.
 */
import type { EnumName } from './enums.ts'

/** How a column's values look on the wire (JSON), which decides validation and operators. */
export type ColumnKind = 'uuid' | 'text' | 'int' | 'float' | 'bool' | 'timestamp' | 'enum' | 'text[]' | 'json' | 'interval'

/** One column of an entity table. */
export interface ColumnDef {
  kind: ColumnKind
  /** The Postgres enum of an `enum` column. */
  enum?: EnumName
  /** Settable by `create_entity`. */
  create?: boolean
  /** Required by `create_entity`. */
  required?: boolean
  /** Settable by `update_entity`. */
  update?: boolean
  /** Length bounds of a text column. */
  min?: number
  max?: number
  /** What the column means, for tool descriptions. */
  doc?: string
}

/** The entity types of `entity_type` (spec §0). */
export const ENTITY_TYPES = ['organization', 'project', 'document', 'block', 'requirement', 'test', 'property', 'profile'] as const
export type EntityType = (typeof ENTITY_TYPES)[number]

/** One entity type and its table. */
export interface EntityDef {
  type: EntityType
  table: string
  /** The column that names a row (hits, exports, graph labels). */
  titleColumn: string
  /** Columns that `list_entities.parent_id` matches (any of them). */
  parentColumns: string[]
  /** An integer optimistic-lock column bumped by the update trigger. */
  versioned: boolean
  /** `created_by` / `updated_by` columns the server fills with the caller's id. */
  createdBy: boolean
  updatedBy: boolean
  /** Has an `fts_vector` column, so `search_entities` ranks it. */
  searchable: boolean
  columns: Record<string, ColumnDef>
}

type Flags = '' | 'R' | 'c' | 'cu' | 'Ru' | 'u'

function col(kind: ColumnKind, flags: Flags = '', doc?: string, extra: Partial<ColumnDef> = {}): ColumnDef {
  return {
    kind,
    create: flags.includes('c') || flags.includes('R'),
    required: flags.includes('R'),
    update: flags.includes('u'),
    ...(doc ? { doc } : {}),
    ...extra,
  }
}
const en = (name: EnumName, flags: Flags = '', doc?: string) => col('enum', flags, doc, { enum: name })

const softDelete = {
  is_deleted: col('bool', '', 'true once soft-deleted'),
  deleted_at: col('timestamp'),
  deleted_by: col('uuid'),
}
const stamps = { created_at: col('timestamp'), updated_at: col('timestamp') }
const audit = { created_by: col('uuid'), updated_by: col('uuid') }
const SLUG = 'URL-safe key: lowercase letters, digits and "-" (derived from the name when omitted)'

const organization: EntityDef = {
  type: 'organization',
  table: 'organizations',
  titleColumn: 'name',
  parentColumns: [],
  versioned: true,
  createdBy: true,
  updatedBy: true,
  searchable: true,
  columns: {
    id: col('uuid'),
    name: col('text', 'Ru', 'Workspace name (2-255 characters)', { min: 2, max: 255 }),
    slug: col('text', 'cu', `${SLUG}; must start with a letter; unique across all workspaces`, { min: 1, max: 255 }),
    description: col('text', 'cu', 'Free-text description', { max: 10_000 }),
    type: en('organization_type', 'c', 'Workspace type (default "team")'),
    status: en('user_status'),
    billing_plan: en('billing_plan'),
    billing_cycle: en('pricing_plan_interval'),
    max_members: col('int'),
    max_monthly_requests: col('int'),
    member_count: col('int'),
    storage_used: col('int'),
    logo_url: col('text', 'cu', 'Logo URL', { max: 2048 }),
    owner_id: col('uuid'),
    settings: col('json', 'cu', 'Settings object'),
    metadata: col('json', 'cu', 'Metadata object'),
    ...softDelete,
    ...stamps,
    ...audit,
    version: col('int'),
  },
}

const project: EntityDef = {
  type: 'project',
  table: 'projects',
  titleColumn: 'name',
  parentColumns: ['organization_id'],
  versioned: true,
  createdBy: true,
  updatedBy: true,
  searchable: true,
  columns: {
    id: col('uuid'),
    organization_id: col('uuid', 'R', 'Workspace (organization) the project belongs to'),
    name: col('text', 'Ru', 'Project name (2-255 characters)', { min: 2, max: 255 }),
    slug: col('text', 'cu', `${SLUG}; unique inside the workspace`, { min: 1, max: 255 }),
    description: col('text', 'cu', 'Free-text description', { max: 10_000 }),
    status: en('project_status', 'cu', 'Project status (default "active")'),
    visibility: en('visibility', 'cu', 'Who may read it (default "private"; "public" opens read access to everyone)'),
    owned_by: col('uuid'),
    tags: col('text[]', 'cu', 'Tags'),
    settings: col('json', 'cu', 'Settings object'),
    metadata: col('json', 'cu', 'Metadata object'),
    star_count: col('int'),
    version: col('int'),
    ...softDelete,
    ...stamps,
    ...audit,
  },
}

const document: EntityDef = {
  type: 'document',
  table: 'documents',
  titleColumn: 'name',
  parentColumns: ['project_id'],
  versioned: true,
  createdBy: true,
  updatedBy: true,
  searchable: true,
  columns: {
    id: col('uuid'),
    project_id: col('uuid', 'R', 'Project the document belongs to'),
    name: col('text', 'Ru', 'Document name (1-255 characters)', { min: 1, max: 255 }),
    slug: col('text', 'cu', `${SLUG}; unique inside the project`, { min: 1, max: 255 }),
    description: col('text', 'cu', 'Free-text description', { max: 10_000 }),
    tags: col('text[]', 'cu', 'Tags'),
    version: col('int'),
    ...softDelete,
    ...stamps,
    ...audit,
  },
}

const block: EntityDef = {
  type: 'block',
  table: 'blocks',
  titleColumn: 'name',
  parentColumns: ['document_id'],
  versioned: true,
  createdBy: true,
  updatedBy: true,
  searchable: false,
  columns: {
    id: col('uuid'),
    document_id: col('uuid', 'R', 'Document the block (section) belongs to'),
    type: col('text', 'Ru', 'Block kind, free text (e.g. "text", "requirements")', { min: 1, max: 100 }),
    position: col('int', 'cu', 'Order inside the document, >= 0 (default: after the last block)'),
    name: col('text', 'cu', 'Block title (default "Untitled")', { min: 1, max: 255 }),
    content: col('json', 'cu', 'Block content object'),
    org_id: col('uuid', 'c', 'Workspace id, for reporting (optional)'),
    version: col('int'),
    ...softDelete,
    ...stamps,
    ...audit,
  },
}

const property: EntityDef = {
  type: 'property',
  table: 'properties',
  titleColumn: 'name',
  parentColumns: ['org_id', 'project_id', 'document_id'],
  versioned: false,
  createdBy: true,
  updatedBy: true,
  searchable: false,
  columns: {
    id: col('uuid'),
    org_id: col('uuid', 'R', 'Workspace the custom field is defined in'),
    project_id: col('uuid', 'c', 'Narrow the field to one project'),
    document_id: col('uuid', 'c', 'Narrow the field to one document'),
    name: col('text', 'Ru', 'Field name', { min: 1, max: 255 }),
    property_type: en('property_type', 'Ru', 'Field type'),
    options: col('json', 'cu', 'Options object (e.g. the choices of a select)'),
    scope: col('text', 'cu', 'Free-text scope label', { max: 255 }),
    is_base: col('bool', 'cu', 'Part of the base field set'),
    ...softDelete,
    ...stamps,
    ...audit,
  },
}

const requirement: EntityDef = {
  type: 'requirement',
  table: 'requirements',
  titleColumn: 'name',
  parentColumns: ['document_id', 'block_id'],
  versioned: true,
  createdBy: true,
  updatedBy: true,
  searchable: true,
  columns: {
    id: col('uuid'),
    document_id: col('uuid', 'R', 'Document the requirement belongs to'),
    block_id: col('uuid', 'cu', 'Block (section) of that document; when omitted on create the document\'s default block is used, created if needed'),
    name: col('text', 'Ru', 'Requirement title (1-255 characters)', { min: 1, max: 255 }),
    description: col('text', 'cu', 'Requirement text', { max: 20_000 }),
    external_id: col('text', 'cu', 'Human key such as "REQ-12"', { max: 255 }),
    format: en('requirement_format', 'cu', 'Writing format (default "ears")'),
    type: col('text', 'cu', 'Free-text type (e.g. "functional")', { max: 100 }),
    level: en('requirement_level', 'cu', 'Level (default "component")'),
    status: en('requirement_status', 'cu', 'Status (default "active")'),
    priority: en('requirement_priority', 'cu', 'Priority (default "low")'),
    position: col('float', 'cu', 'Order inside the block'),
    properties: col('json', 'cu', 'Custom property values; status, priority, format, level and type are mirrored in by the database'),
    tags: col('text[]', 'cu', 'Tags'),
    original_requirement: col('text', 'cu', 'Original wording', { max: 20_000 }),
    enchanced_requirement: col('text', 'cu', 'Improved wording (column name as in the schema)', { max: 20_000 }),
    ai_analysis: col('json', 'cu', 'Analysis object'),
    version: col('int'),
    ...softDelete,
    ...stamps,
    ...audit,
  },
}

const test: EntityDef = {
  type: 'test',
  table: 'test_req',
  titleColumn: 'title',
  parentColumns: ['project_id'],
  versioned: false,
  createdBy: true,
  updatedBy: true,
  searchable: true,
  columns: {
    id: col('uuid'),
    project_id: col('uuid', 'R', 'Project the test belongs to'),
    title: col('text', 'Ru', 'Test title (1-255 characters; tests have a title, not a name)', { min: 1, max: 255 }),
    test_id: col('text', 'cu', 'Human key such as "TC-7"', { max: 255 }),
    description: col('text', 'cu', 'What the test checks', { max: 20_000 }),
    preconditions: col('text', 'cu', 'Preconditions', { max: 20_000 }),
    expected_results: col('text', 'cu', 'Expected results', { max: 20_000 }),
    test_environment: col('text', 'cu', 'Environment', { max: 2_000 }),
    test_type: en('test_type', 'cu', 'Test type (default "other")'),
    method: en('test_method', 'cu', 'Method (default "manual")'),
    status: en('test_status', 'cu', 'Status (default "draft")'),
    priority: en('test_priority', 'cu', 'Priority (default "medium")'),
    category: col('text[]', 'cu', 'Categories'),
    test_steps: col('json', 'cu', 'Steps (any JSON)'),
    attachments: col('json', 'cu', 'Attachments (any JSON)'),
    result: col('text', 'cu', 'Last result (free text)', { max: 2_000 }),
    estimated_duration: col('interval', 'cu', 'Estimated duration, e.g. "30 minutes" or "PT1H"'),
    version: col('text', 'cu', 'Free-text version label (tests are not optimistically locked)', { max: 100 }),
    is_active: col('bool', 'cu', 'Active (default true)'),
    ...softDelete,
    ...stamps,
    ...audit,
  },
}

const profile: EntityDef = {
  type: 'profile',
  table: 'profiles',
  titleColumn: 'email',
  parentColumns: [],
  versioned: false,
  createdBy: false,
  updatedBy: false,
  searchable: false,
  columns: {
    id: col('uuid'),
    email: col('text'),
    full_name: col('text', 'u', 'Display name', { max: 255 }),
    avatar_url: col('text', 'u', 'Avatar URL', { max: 2048 }),
    job_title: col('text', 'u', 'Job title', { max: 255 }),
    status: en('user_status'),
    is_approved: col('bool'),
    current_organization_id: col('uuid', 'u', 'Workspace the user works in now'),
    personal_organization_id: col('uuid'),
    pinned_organization_id: col('uuid', 'u', 'Pinned workspace'),
    preferences: col('json', 'u', 'Preferences object'),
    last_login_at: col('timestamp'),
    login_count: col('int'),
    ...softDelete,
    ...stamps,
  },
}

/** Every entity type's definition, keyed by `entity_type`. */
export const ENTITIES: Record<EntityType, EntityDef> = {
  organization, project, document, block, requirement, test, property, profile,
}

/** Column names of an entity that `create_entity` accepts. */
export function creatableColumns(def: EntityDef): string[] {
  return Object.entries(def.columns).filter(([, c]) => c.create).map(([name]) => name)
}

/** Column names of an entity that `update_entity` accepts. */
export function updatableColumns(def: EntityDef): string[] {
  return Object.entries(def.columns).filter(([, c]) => c.update).map(([name]) => name)
}
