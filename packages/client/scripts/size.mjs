// Prints the size of the minified browser bundle, raw and gzip (zlib level 9).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const file = fileURLToPath(new URL("../dist/browser/webshocket-client.min.js", import.meta.url));
const code = readFileSync(file);
const gz = gzipSync(code, { level: 9 });
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`dist/browser/webshocket-client.min.js: ${kb(code.length)} minified, ${kb(gz.length)} min+gzip (${gz.length} bytes)`);
