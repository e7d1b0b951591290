/**
 * The e2e suite: the real MCP SDK client against the bundled Atoms server, every one of the 27
 * operations of spec §0 inside the predefined cascade flows, as two users in two workspaces (the
 * owner works, the intruder probes every step), over every transport the mode offers (dry:
 * in-process; cold: stdio and Streamable HTTP). The last tests prove the flows called all 27
 * operations over each transport, and that nothing they made (through the server or the
 * factories) outlived them.
 */
import { expect, flow, test } from '../../fixtures/index.ts'
import {
  ALL_OPERATIONS, OperationRecorder, SPEC_OPERATIONS, crudFlowSteps, flowTransports, formatCoverage, graphFlowSteps,
  hierarchyFlowSteps, leftovers, searchExportFlowSteps, workflowFlowSteps,
} from './lib/index.ts'

const recorder = new OperationRecorder()
const transports = flowTransports()
// A step over stdio starts a server process per user; generous, so a loaded machine does not flake.
const timeout = 120_000
const FLOWS = {
  'crud': crudFlowSteps,
  'hierarchy': hierarchyFlowSteps,
  'workflow': workflowFlowSteps,
  'relationship graph': graphFlowSteps,
  'search and export': searchExportFlowSteps,
}

for (const transport of transports) {
  const setup = { transport, recorder }
  for (const [name, steps] of Object.entries(FLOWS)) flow(`${name} over ${transport}`, steps(setup), { timeout })
}

test('the server offers exactly the operations of §0', async ({ user, mcp }) => {
  // The mode's last transport is its cheapest to connect (no process of its own).
  const { tools } = await (await mcp(await user(), transports.at(-1))).listTools()
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

test('cleanup: nothing the flows or the server made for their users outlives the flows', async ({ service }) => {
  const users = recorder.users
  expect(users).toHaveLength(2 * Object.keys(FLOWS).length * transports.length)
  expect(await leftovers(service, users)).toEqual({})
})
