/**
 * The e2e suite: the real MCP SDK client against the bundled Atoms server, every one of the 27
 * operations of spec §0 inside the predefined cascade flows, as two users in two workspaces,
 * over every transport the mode offers (dry: in-process; cold: stdio and Streamable HTTP).
 * The last test proves the flows called all 27 operations over each transport.
 */
import { expect, flow, test } from '../../fixtures/index.ts'
import {
  ALL_OPERATIONS, OperationRecorder, SPEC_OPERATIONS, crudFlowSteps, flowTransports, formatCoverage, graphFlowSteps,
  hierarchyFlowSteps, searchExportFlowSteps, workflowFlowSteps,
} from './lib/index.ts'

const recorder = new OperationRecorder()
const transports = flowTransports()
// A step over stdio starts a server process per user; generous, so a loaded machine does not flake.
const timeout = 120_000

for (const transport of transports) {
  const setup = { transport, recorder }
  flow(`crud over ${transport}`, crudFlowSteps(setup), { timeout })
  flow(`hierarchy over ${transport}`, hierarchyFlowSteps(setup), { timeout })
  flow(`workflow over ${transport}`, workflowFlowSteps(setup), { timeout })
  flow(`relationship graph over ${transport}`, graphFlowSteps(setup), { timeout })
  flow(`search and export over ${transport}`, searchExportFlowSteps(setup), { timeout })
}

test('the server offers exactly the operations of §0', async ({ user, mcp }) => {
  const { tools } = await (await mcp(await user())).listTools()
  const offered = tools.flatMap((tool) => {
    const operation = (tool.inputSchema.properties?.operation ?? {}) as { enum?: string[] }
    return (operation.enum ?? []).map((name) => `${tool.name}.${name}`)
  })
  expect(offered.sort()).toEqual(ALL_OPERATIONS)
  expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(SPEC_OPERATIONS).sort())
})

test('coverage: the flows called every operation of §0 over every transport', () => {
  for (const transport of transports) {
    const coverage = recorder.coverage(transport)
    expect(coverage.missing.concat(coverage.extra), formatCoverage(coverage)).toEqual([])
  }
})
