#!/usr/bin/env node
// The `atoms-mcp` executable: Node 24 runs the TypeScript sources directly (type stripping).
import { main } from './main.ts'

main().catch((error) => {
  process.stderr.write(`atoms-mcp: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
