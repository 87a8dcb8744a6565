// Prints the reference server's AsyncAPI 3 document: `node dist/asyncapi.js [host:port] > asyncapi.json`.
import { referenceDocument } from "./referenceDocument.js";

process.stdout.write(`${JSON.stringify(referenceDocument(process.argv[2]), null, 2)}\n`);
