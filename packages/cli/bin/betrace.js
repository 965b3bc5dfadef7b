#!/usr/bin/env node
import { main } from '../src/main.ts';
import { processIo } from '../src/io.ts';

process.exitCode = await main(process.argv.slice(2), processIo);
