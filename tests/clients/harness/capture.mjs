// node capture.mjs SAMPLE OUT: runs a JavaScript sample unchanged (an ES
// module, so its top-level await works); console.log still prints, and the
// value it was given is written to OUT as JSON.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [sample, out] = process.argv.slice(2);
const printed = [];
const log = console.log;
console.log = (...args) => {
  printed.push(...args.slice(0, 1));
  log(...args);
};
try {
  await import(pathToFileURL(resolve(sample)).href);
} finally {
  console.log = log;
}
if (printed.length !== 1) {
  throw new Error(`the sample printed ${printed.length} values, not one`);
}
writeFileSync(out, JSON.stringify(printed[0]));
