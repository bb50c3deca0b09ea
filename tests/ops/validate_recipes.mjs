// Validates the batch recipes: every Kubernetes manifest under ops/kubernetes/ against the API's
// published schemas (kubernetes-models, generated from the Kubernetes OpenAPI spec), and every
// workflow under .github/workflows/ with GitHub's own parser (@actions/workflow-parser). First it
// checks that each validator rejects a broken copy, so a validator that accepts anything fails.
// Usage: node --import ./register-json-loader.mjs validate_recipes.mjs REPOSITORY
import fs from "node:fs";
import path from "node:path";
import { parseWorkflow, NoOperationTraceWriter } from "@actions/workflow-parser";
import { Job } from "kubernetes-models/batch/v1";
import { parseAllDocuments } from "yaml";

const repository = process.argv[2];
const kinds = { "batch/v1 Job": Job };

function manifestErrors(text, file) {
  const errors = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length) errors.push(`${file}: ${document.errors[0].message}`);
    const object = document.toJS();
    const Model = kinds[`${object.apiVersion} ${object.kind}`];
    if (!Model) {
      errors.push(`${file}: no schema here for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      errors.push(`${file}: ${error.message}`);
    }
  }
  return errors;
}

function workflowErrors(text, file) {
  const result = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

function filesIn(folder, extensions) {
  const dir = path.join(repository, folder);
  return fs
    .readdirSync(dir)
    .filter((name) => extensions.some((e) => name.endsWith(e)))
    .sort()
    .map((name) => path.join(dir, name));
}

const checks = [
  ...filesIn("ops/kubernetes", [".yaml", ".yml"]).map((f) => [f, manifestErrors]),
  ...filesIn(".github/workflows", [".yaml", ".yml"]).map((f) => [f, workflowErrors]),
];
let failed = 0;
// The validators must reject a broken copy: a misspelt enum value and a misspelt job key.
const job = fs.readFileSync(checks.find(([, v]) => v === manifestErrors)[0], "utf8");
if (manifestErrors(job.replace("completionMode: Indexed", "completionMode: Indexd"), "broken").length === 0) {
  console.error("FAIL: the Kubernetes schema accepted completionMode: Indexd");
  failed++;
}
const workflow = fs.readFileSync(checks.find(([, v]) => v === workflowErrors)[0], "utf8");
if (workflowErrors(workflow.replace("runs-on:", "runs-onn:"), "broken").length === 0) {
  console.error("FAIL: the workflow parser accepted runs-onn");
  failed++;
}
for (const [file, validate] of checks) {
  const errors = validate(fs.readFileSync(file, "utf8"), path.relative(repository, file));
  for (const e of errors) console.error(`FAIL: ${e}`);
  if (errors.length === 0) console.error(`ok: ${path.relative(repository, file)}`);
  failed += errors.length;
}
process.exit(failed ? 1 : 0);
