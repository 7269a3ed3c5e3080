#!/usr/bin/env node
// The package's command line. The sources are TypeScript: tsx (a dependency of the repository) loads them.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
