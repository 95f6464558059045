// Totals vitest's and Playwright's JSON reports into the plain line CI reads:
// "N passed, N failed, N skipped". A report that is missing (its stage never ran) counts as one
// failure, and so does a test file that failed without a failing test (it threw while loading, or
// in a hook), so a broken stage is never mistaken for a clean run. With --failed, prints only the
// failed count.
import fs from "node:fs";

const args = process.argv.slice(2);
const onlyFailed = args[0] === "--failed";
const files = onlyFailed ? args.slice(1) : args;

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  if (!fs.existsSync(file)) {
    failed += 1;
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  if ("numPassedTests" in report) {
    // vitest
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    failed += report.testResults.filter((suite) => suite.status === "failed" && !suite.assertionResults.some((test) => test.status === "failed")).length;
    skipped += report.numPendingTests + report.numTodoTests;
    if (report.numTotalTests === 0) failed += 1;
  } else {
    // Playwright: stats.expected passed, unexpected and flaky count against the run
    passed += report.stats.expected;
    failed += report.stats.unexpected + report.stats.flaky;
    skipped += report.stats.skipped;
    if (report.stats.expected + report.stats.unexpected + report.stats.flaky === 0) failed += 1;
  }
}
console.log(onlyFailed ? String(failed) : `${passed} passed, ${failed} failed, ${skipped} skipped`);
