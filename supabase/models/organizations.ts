/** profiles, organizations, organization_members, organization_invitations (migration 20250101000100; organizations.version: 20250101001100). */
import { auditRequired, softDelete, timestamps } from './common.ts'
import { col } from './column.ts'
import { defineTable, fk } from './table.ts'

export const profiles = defineTable({
  name: 'profiles',
  primaryKey: 'id',
  columns: {
    id: col.uuid(),
    email: col.text(),
    full_name: col.text().nullable(),
    avatar_url: col.text().nullable(),
    job_title: col.text().nullable(),
    status: col.enum('user_status').nullable().withDefault(),
    is_approved: col.boolean().withDefault(),
    current_organization_id: col.uuid().nullable(),
    personal_organization_id: col.uuid().nullable(),
    pinned_organization_id: col.uuid().nullable(),
    preferences: col.jsonb().nullable().withDefault(),
    last_login_at: col.timestamptz().nullable(),
    login_count: col.integer().nullable().withDefault(),
    ...softDelete(),
    ...timestamps(),
  },
  foreignKeys: [
    fk('profiles_id_fkey', 'id', 'auth.users', 'cascade'),
    fk('profiles_current_organization_id_fkey', 'current_organization_id', 'organizations', 'set null'),
    fk('profiles_personal_organization_id_fkey', 'personal_organization_id', 'organizations', 'set null'),
    fk('profiles_pinned_organization_id_fkey', 'pinned_organization_id', 'organizations', 'set null'),
  ],
  checks: ['profiles_login_count_check'],
})

export const organizations = defineTable({
  name: 'organizations',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    name: col.text(),
    slug: col.text(),
    description: col.text().nullable(),
    type: col.enum('organization_type').withDefault(),
    status: col.enum('user_status').nullable().withDefault(),
    billing_plan: col.enum('billing_plan').withDefault(),
    billing_cycle: col.enum('pricing_plan_interval').withDefault(),
    max_members: col.integer().withDefault(),
    max_monthly_requests: col.integer().withDefault(),
    member_count: col.integer().nullable().withDefault(),
    storage_used: col.integer().nullable().withDefault(),
    logo_url: col.text().nullable(),
    owner_id: col.uuid().nullable(),
    settings: col.jsonb().nullable().withDefault(),
    metadata: col.jsonb().nullable().withDefault(),
    fts_vector: col.tsvector().nullable().generated(),
    ...softDelete(),
    ...timestamps(),
    ...auditRequired(),
    // added by migration 20250101001100, so it comes last in the table
    version: col.integer().withDefault(),
  },
  foreignKeys: [fk('organizations_owner_id_fkey', 'owner_id', 'profiles', 'set null')],
  unique: { organizations_slug_key: ['slug'] },
  checks: [
    'organizations_name_length',
    'organizations_slug_format',
    'organizations_max_members_check',
    'organizations_max_monthly_requests_check',
    'organizations_member_count_check',
    'organizations_storage_used_check',
    'organizations_version_check',
  ],
})

export const organizationMembers = defineTable({
  name: 'organization_members',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    organization_id: col.uuid(),
    user_id: col.uuid(),
    role: col.enum('user_role_type').withDefault(),
    status: col.enum('user_status').nullable().withDefault(),
    permissions: col.jsonb().nullable().withDefault(),
    last_active_at: col.timestamptz().nullable(),
    ...softDelete(),
    ...timestamps(),
    updated_by: col.uuid().nullable(),
  },
  foreignKeys: [
    fk('organization_members_organization_id_fkey', 'organization_id', 'organizations', 'cascade'),
    fk('organization_members_user_id_fkey', 'user_id', 'profiles', 'cascade'),
  ],
  unique: { organization_members_organization_id_user_id_key: ['organization_id', 'user_id'] },
})

export const organizationInvitations = defineTable({
  name: 'organization_invitations',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    organization_id: col.uuid(),
    email: col.text(),
    role: col.enum('user_role_type').withDefault(),
    status: col.enum('invitation_status').withDefault(),
    token: col.uuid().withDefault(),
    expires_at: col.timestamptz().withDefault(),
    metadata: col.jsonb().nullable().withDefault(),
    ...softDelete(),
    ...timestamps(),
    ...auditRequired(),
  },
  foreignKeys: [fk('organization_invitations_organization_id_fkey', 'organization_id', 'organizations', 'cascade')],
  unique: { organization_invitations_token_key: ['token'] },
  checks: ['organization_invitations_email_format'],
})
