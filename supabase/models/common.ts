/** Column groups many tables share, spelled in the order the migrations declare them. */
import { col } from './column.ts'

/** `is_deleted boolean default false` (NULL-able), `deleted_at`, `deleted_by`. */
export const softDelete = () => ({
  is_deleted: col.boolean().nullable().withDefault(),
  deleted_at: col.timestamptz().nullable(),
  deleted_by: col.uuid().nullable(),
})

/** The soft-delete triple where `is_deleted` is NOT NULL (properties, test_req). */
export const softDeleteNotNull = () => ({
  is_deleted: col.boolean().withDefault(),
  deleted_at: col.timestamptz().nullable(),
  deleted_by: col.uuid().nullable(),
})

/** `created_at` / `updated_at timestamptz default now()`, NULL-able. */
export const timestamps = () => ({
  created_at: col.timestamptz().nullable().withDefault(),
  updated_at: col.timestamptz().nullable().withDefault(),
})

/** `created_by` / `updated_by uuid`, NULL-able. */
export const auditNullable = () => ({
  created_by: col.uuid().nullable(),
  updated_by: col.uuid().nullable(),
})

/** `created_by` / `updated_by uuid not null` (organizations, invitations, projects). */
export const auditRequired = () => ({
  created_by: col.uuid(),
  updated_by: col.uuid(),
})
