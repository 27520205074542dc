// Prints one closing line over every Vitest JSON report given, and fails when a suite ran no test
// (a green run that tested nothing is not a pass).
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (report.numTotalTests === 0) {
    console.error(`${file}: no test ran`);
    process.exitCode = 1;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
if (failed > 0) process.exitCode = 1;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
