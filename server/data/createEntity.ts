/**
 * Creating an entity: the validated `data` plus what the server fills in — audit columns and
 * owners from the caller's id, slugs derived from names (retried once with a suffix when taken),
 * the next block position, and for requirements the document's default block, created on first
 * use because `requirements.block_id` is NOT NULL (spec §0, §7.5).
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { EntityDef } from './entities.ts'
import type { Row, TableRef } from './rows.ts'

import { randomBytes } from 'node:crypto'
import { ToolError } from '../errors.ts'
import { mapDataError } from './mapError.ts'
import { insertRow, readRow } from './rows.ts'

/** Type, name and position of the block requirements land in when none is named. */
export const DEFAULT_BLOCK = { type: 'requirements', name: 'Requirements', position: 0 } as const

/** The row helpers' view of an entity table. */
export function entityRef(def: EntityDef): TableRef {
  return { table: def.table, label: def.type, columns: Object.keys(def.columns), softDelete: true, versioned: def.versioned }
}

/**
 * Lowercase, non-alphanumerics collapsed to "-", trimmed (spec §6). Workspace slugs must start
 * with a letter, so they get a "w-" prefix when the name starts otherwise.
 */
export function slugify(name: string, fallback: string, mustStartWithLetter = false): string {
  let slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200)
  if (!slug) slug = fallback
  if (mustStartWithLetter && !/^[a-z]/.test(slug)) slug = `w-${slug}`
  return slug
}

/** Creates a row of `def` for the caller and returns it as stored. */
export async function createEntity(db: SupabaseClient, userId: string, def: EntityDef, data: Row): Promise<Row> {
  const ref = entityRef(def)
  const values: Row = { ...data }
  if (def.createdBy) values.created_by = userId
  if (def.updatedBy) values.updated_by = userId
  switch (def.type) {
    case 'profile':
      throw new ToolError('INVALID_INPUT', 'Profiles are created by sign-up, not by create_entity; use update_entity on your own profile')
    case 'organization':
      values.owner_id = userId
      values.type ??= 'team'
      return insertWithSlug(db, ref, values, data.slug === undefined, slugify(String(data.name), 'workspace', true))
    case 'project':
      values.owned_by = userId
      return insertWithSlug(db, ref, values, data.slug === undefined, slugify(String(data.name), 'project'))
    case 'document':
      return insertWithSlug(db, ref, values, data.slug === undefined, slugify(String(data.name), 'document'))
    case 'block':
      values.position ??= await nextBlockPosition(db, String(data.document_id))
      return insertRow(db, ref, values)
    case 'requirement':
      values.block_id = data.block_id === undefined
        ? await defaultBlockId(db, userId, String(data.document_id))
        : await checkBlock(db, String(data.block_id), String(data.document_id))
      return insertRow(db, ref, values)
    default:
      return insertRow(db, ref, values)
  }
}

// A derived slug that collides gets one retry with a random suffix; a given slug never changes.
async function insertWithSlug(db: SupabaseClient, ref: TableRef, values: Row, derived: boolean, slug: string): Promise<Row> {
  if (!derived) return insertRow(db, ref, values)
  try {
    return await insertRow(db, ref, { ...values, slug })
  } catch (error) {
    if (!(error instanceof ToolError && error.code === 'CONFLICT' && /slug/.test(String(error.details?.detail ?? error.message)))) throw error
    return insertRow(db, ref, { ...values, slug: `${slug.slice(0, 240)}-${randomBytes(3).toString('hex')}` })
  }
}

async function nextBlockPosition(db: SupabaseClient, documentId: string): Promise<number> {
  const { data, error, status } = await db.from('blocks').select('position').eq('document_id', documentId)
    .order('position', { ascending: false }).limit(1)
  if (error) throw mapDataError(error, status, 'read')
  const [last] = (data ?? []) as Array<{ position: number }>
  return last ? last.position + 1 : 0
}

/** The live default block of a document, created when it has none. */
export async function defaultBlockId(db: SupabaseClient, userId: string, documentId: string): Promise<string> {
  // Reading the document first turns a foreign or missing document into NOT_FOUND, not an RLS error.
  await readRow(db, { table: 'documents', label: 'document', columns: ['id'], softDelete: true, versioned: true }, documentId)
  const { data, error, status } = await db.from('blocks').select('id')
    .eq('document_id', documentId).eq('type', DEFAULT_BLOCK.type).not('is_deleted', 'is', true)
    .order('position', { ascending: true }).order('created_at', { ascending: true }).limit(1)
  if (error) throw mapDataError(error, status, 'read')
  const [found] = (data ?? []) as Array<{ id: string }>
  if (found) return found.id
  const block = await insertRow(db, { table: 'blocks', label: 'block', columns: ['id'], softDelete: true, versioned: true }, {
    document_id: documentId,
    ...DEFAULT_BLOCK,
    created_by: userId,
    updated_by: userId,
  })
  return String(block.id)
}

async function checkBlock(db: SupabaseClient, blockId: string, documentId: string): Promise<string> {
  const block = await readRow(db, { table: 'blocks', label: 'block', columns: ['id', 'document_id'], softDelete: true, versioned: true }, blockId)
  if (block.document_id !== documentId) {
    throw new ToolError('INVALID_INPUT', `block "${blockId}" belongs to another document than "${documentId}"; omit block_id to use the default block`)
  }
  return blockId
}
