#!/usr/bin/env node
// Entry point of `atoms-test`: Node >= 22.18 strips the TypeScript types of the sources it loads.
import { main } from './main.ts'

process.exitCode = await main(process.argv)
