#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (Kapstone's packages run from source).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const cli = path.join(import.meta.dirname, '..', 'src', 'cli.ts');
const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
