/**
 * The zod models of the Atoms schema: the one source of truth the MCP server (tool inputs) and
 * the schema suite (drift against the live catalog) share.
 */
export type { EnumName } from './enums.ts'
export type { Column } from './column.ts'
export type { ColumnInfo, ForeignKey, OnDelete, Table } from './table.ts'
export type { EntityType, RelationshipKind, TableName } from './tables.ts'
export type { FunctionInfo } from './rpc.ts'
export { enums, enumValues } from './enums.ts'
export { tables, entityTypes, entityTables, relationshipKinds, relationshipTables } from './tables.ts'
export { functions, GetQueryStatsArgs, GetRelationshipGraphArgs, QueryStats, RelationshipGraph } from './rpc.ts'
export { normalizePgType } from './pgTypes.ts'
export * from './rows.ts'
