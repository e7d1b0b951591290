/**
 * One signed-in user talking to the bundled server through the real MCP SDK client. Every call
 * that succeeds is recorded, so the suite can prove it called all operations of §0.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { McpTransport, TestUser } from '../../../fixtures/index.ts'
import type { OperationRecorder } from './operations.ts'
import { ToolCallError, UnexpectedResultError } from './errors.ts'

/** Structured content of a tool result (shapes differ per operation). */
export type Content = Record<string, any>

/** Arguments of a tool call; `operation` picks the operation. */
export type ToolArgs = { operation: string } & Record<string, unknown>

/** The structured error of a refused call. */
export interface ToolFailure {
  code: string
  message: string
}

/** A user with a connected MCP client. */
export class Actor {
  /** Short name used in assertion messages (`alice`, `bob`). */
  readonly name: string
  readonly user: TestUser
  readonly client: Client
  readonly transport: McpTransport
  readonly #recorder: OperationRecorder

  constructor(name: string, user: TestUser, client: Client, transport: McpTransport, recorder: OperationRecorder) {
    this.name = name
    this.user = user
    this.client = client
    this.transport = transport
    this.#recorder = recorder
  }

  /** `alice workspace.read_workspace over memory`: names a call in messages. */
  label(tool: string, args: ToolArgs): string {
    return `${this.name} ${tool}.${args.operation} over ${this.transport}`
  }

  /** Calls `tool` and returns the raw result (recorded when it is not an error). */
  async call(tool: string, args: ToolArgs): Promise<CallToolResult> {
    const result = (await this.client.callTool({ name: tool, arguments: args })) as CallToolResult
    if (!result.isError) this.#recorder.record(this.transport, tool, args.operation)
    return result
  }

  /**
   * Calls `tool` and returns its structured content.
   * @throws ToolCallError when the server answered with a tool error.
   */
  async ok(tool: string, args: ToolArgs): Promise<Content> {
    const result = await this.call(tool, args)
    if (result.isError) {
      const failure = failureOf(result)
      throw new ToolCallError(this.label(tool, args), failure?.code, failure?.message ?? JSON.stringify(result.content))
    }
    if (!result.structuredContent) throw new UnexpectedResultError(`${this.label(tool, args)} returned no structured content`)
    return result.structuredContent as Content
  }

  /** Like `ok`, plus the result's text content (what a client without structured content reads). */
  async okWithText(tool: string, args: ToolArgs): Promise<{ content: Content; text: string }> {
    const result = await this.call(tool, args)
    if (result.isError || !result.structuredContent) throw new ToolCallError(this.label(tool, args), failureOf(result)?.code, JSON.stringify(result.content))
    const text = result.content.filter((part) => part.type === 'text').map((part) => part.text).join('')
    return { content: result.structuredContent as Content, text }
  }

  /**
   * Calls `tool` expecting a tool error; returns its code and message.
   * @throws UnexpectedResultError when the call succeeded or the error has no stable code.
   */
  async fails(tool: string, args: ToolArgs): Promise<ToolFailure> {
    const result = (await this.client.callTool({ name: tool, arguments: args })) as CallToolResult
    if (!result.isError) {
      throw new UnexpectedResultError(`${this.label(tool, args)} should have been refused but answered ${JSON.stringify(result.structuredContent)}`)
    }
    const failure = failureOf(result)
    if (!failure) throw new UnexpectedResultError(`${this.label(tool, args)} failed without a structured error: ${JSON.stringify(result.content)}`)
    return failure
  }
}

function failureOf(result: CallToolResult): ToolFailure | undefined {
  const error = (result.structuredContent as { error?: Partial<ToolFailure> } | undefined)?.error
  if (typeof error?.code !== 'string') return undefined
  return { code: error.code, message: String(error.message ?? '') }
}
