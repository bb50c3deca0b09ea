// `node --import ./register-json-loader.mjs`: installs json-loader.mjs before the validator runs.
import { register } from "node:module";
register("./json-loader.mjs", import.meta.url);
