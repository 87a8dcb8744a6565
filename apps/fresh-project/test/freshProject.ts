// Builds a new user's project in a temp dir from the packed tarballs of the packages (as npm would
// publish them) and the fixture sources.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Runs a command; a failure's error carries what it printed (tsc writes its errors to stdout). */
export async function run(file: string, args: string[], options: { cwd: string }): Promise<{ stdout: string }> {
  try {
    return await execFileAsync(file, args, { ...options, maxBuffer: 16 << 20 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed:\n${stdout}${stderr}`, { cause: error });
  }
}
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
export const fixture = join(here, "..", "fixture");
const PACKAGES = ["protocol", "guards", "server", "client"] as const;

/** The workspace's own TypeScript compiler (a fresh project would install the same version). */
export const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

export interface FreshProject extends AsyncDisposable {
  readonly dir: string;
}

/** Packs each package (its `files`, as published), installs the tarballs with npm, copies the fixture in. */
export async function createFreshProject(): Promise<FreshProject> {
  const dir = await mkdtemp(join(tmpdir(), "webshocket-fresh-"));
  const tarballs = join(dir, "tarballs");
  await mkdir(tarballs);
  const deps: Record<string, string> = {};
  for (const name of PACKAGES) {
    await run("pnpm", ["pack", "--pack-destination", tarballs], { cwd: join(root, "packages", name) });
    const file = (await readdir(tarballs)).find((f) => f.startsWith(`webshocket-${name}-`));
    if (file === undefined) throw new Error(`pnpm pack made no tarball for ${name}`);
    deps[`@webshocket/${name}`] = `file:./tarballs/${file}`;
  }
  const manifest = {
    name: "fresh-project",
    private: true,
    type: "module",
    dependencies: { ...deps, "@sinclair/typebox": "^0.34.41" },
    devDependencies: { "@types/node": "^20.19.0" },
    // The tarballs depend on each other by version; point those at the local tarballs too.
    overrides: { "@webshocket/protocol": "$@webshocket/protocol", "@webshocket/guards": "$@webshocket/guards" },
  };
  await writeFile(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir });
  await cp(fixture, dir, { recursive: true });
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
