/**
 * The five tools of the Atoms MCP server, their definitions and register functions.
 */
export { entityTool, registerEntityTool } from './entity.ts'
export { queryTool, registerQueryTool } from './query.ts'
export { registerRelationshipTool, relationshipTool } from './relationship.ts'
export { registerWorkflowTool, workflowTool } from './workflow.ts'
export { registerWorkspaceTool, workspaceTool } from './workspace.ts'
export { createBaseInvoker, subjectOf } from './invoker.ts'
export { createRegistrar } from './internal/register.ts'
export type { OperationContext, ToolDefinition } from './internal/defineTool.ts'
export type { CallExtra, ToolRegistrar } from './internal/register.ts'

import { entityTool } from './entity.ts'
import { queryTool } from './query.ts'
import { relationshipTool } from './relationship.ts'
import { workflowTool } from './workflow.ts'
import { workspaceTool } from './workspace.ts'

/** Every tool definition, in listing order. */
export const TOOLS = [workspaceTool, entityTool, relationshipTool, workflowTool, queryTool]
