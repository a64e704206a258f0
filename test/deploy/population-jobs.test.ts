/**
 * deploy/population: the Jobs' image can run `npm run population` (a container runtime is not
 * available here, so this reads the files): the image the Jobs name is the one
 * deploy/population/Containerfile builds, not the CDS service's compiled image, and that file
 * copies every folder the job's sources import and keeps tsx, which runs them.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIR = join(ROOT, "deploy/population");
const CONTAINERFILE = join(DIR, "Containerfile");

const read = (path: string) => readFileSync(path, "utf8");
const imagesOf = (yaml: string) => [...yaml.matchAll(/^\s*image:\s*(\S+)\s*$/gm)].map((m) => m[1]!);
/** `registry/x/name:tag` -> `name`. */
const imageName = (image: string) => image.replace(/:[^/:]*$/, "").split("/").at(-1)!;

/** Every source file reachable from `entry` through relative imports. */
function importedFiles(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of read(file).matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = resolve(dirname(file), m[1]!);
      if (/\.tsx?$/.test(target) && existsSync(target)) queue.push(target);
    }
  }
  return seen;
}

describe("deploy/population", () => {
  const shards = read(join(DIR, "shards-job.yaml"));
  const merge = read(join(DIR, "merge-job.yaml"));

  it("both Jobs run the image deploy/population/Containerfile builds, not the CDS service's", () => {
    expect(existsSync(CONTAINERFILE), "deploy/population/Containerfile").toBe(true);
    const built = /-t\s+(\S+)/.exec(read(CONTAINERFILE))?.[1];
    expect(built, "the build command in the Containerfile's header").toBeDefined();
    const images = [...imagesOf(shards), ...imagesOf(merge)];
    expect(images).toHaveLength(2);
    for (const image of images) expect(imageName(image)).toBe(imageName(built!));
    const cds = JSON.parse(read(join(ROOT, "deploy/kubernetes/deployment.json")));
    expect(imageName(images[0]!)).not.toBe(imageName(cds.spec.template.spec.containers[0].image));
  });

  it("the image holds every folder `npm run population` imports, and tsx to run them", () => {
    const pkg = JSON.parse(read(join(ROOT, "package.json")));
    const script: string = pkg.scripts.population;
    const entry = /(\S+\.ts)\b/.exec(script)![1]!;
    const folders = new Set([...importedFiles(join(ROOT, entry))].map((f) => relative(ROOT, f).split("/")[0]!));
    // The default model, read at run time.
    folders.add("models");
    const copied = read(CONTAINERFILE)
      .split("\n")
      .filter((line) => line.startsWith("COPY "))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    for (const folder of folders) expect(copied, folder).toContain(folder);
    expect(copied).toContain("tsconfig.json");
    // tsx is a development dependency: the image must not drop them.
    expect(Object.keys(pkg.devDependencies)).toContain("tsx");
    expect(read(CONTAINERFILE)).toMatch(/RUN npm ci\b/);
    expect(read(CONTAINERFILE)).not.toMatch(/--omit=dev|--production|npm prune/);
    for (const job of [shards, merge]) expect(job).toContain("exec npm run population --");
  });

  it("runs as the image's unprivileged user, with the volume writable through fsGroup", () => {
    expect(read(CONTAINERFILE)).toMatch(/^USER node$/m);
    for (const job of [shards, merge]) {
      expect(job).toMatch(/runAsUser: 1000\b/);
      expect(job).toMatch(/fsGroup: 1000\b/);
    }
  });
});
