// @actions/workflow-parser is built for bundlers: it imports its schema as `import x from "./file.json"`
// without the import attribute Node requires. This load hook reads such files as JSON modules.
import { readFile } from "node:fs/promises";
export async function load(url, context, nextLoad) {
  if (url.endsWith(".json")) return { format: "json", source: await readFile(new URL(url)), shortCircuit: true };
  return nextLoad(url, context);
}
