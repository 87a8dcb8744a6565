import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A self-signed certificate for 127.0.0.1 / localhost, made with the openssl CLI; undefined without openssl. */
export function selfSigned(): { keyFile: string; certFile: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "webshocket-tls-"));
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
      { stdio: "ignore" },
    );
  } catch {
    return undefined;
  }
  return { keyFile, certFile, cert: readFileSync(certFile, "utf8") };
}
