/**
 * The Kubernetes manifests and the container file in deploy/ (Docker and Kubernetes cannot run
 * here, so this test is their only check): every setting they name exists in the service's
 * config schema or environment variables, the configuration they assemble loads, and the
 * pieces point at each other (probe path and port, Service target, HPA target, Secret keys,
 * config mount, the compiled entry point), and a pod's shutdown (preStop delay, then the
 * service's drain) fits in its termination grace period.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_FILE_ENV, ENV_SETTINGS, loadConfig, parseConfig } from "../../cds-service/config.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const K8S = join(ROOT, "deploy/kubernetes");
/** Outside deploy/kubernetes/: `kubectl apply -f deploy/kubernetes/` must not apply it. */
const SECRET_EXAMPLE = join(ROOT, "deploy/secret.example.json");

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

// The files `kubectl apply -f DIR` reads (it takes .json, .yaml and .yml).
const appliedFiles = readdirSync(K8S).filter((f) => /\.(json|ya?ml)$/.test(f));
const manifests: any[] = appliedFiles.map((f) => JSON.parse(readFileSync(join(K8S, f), "utf8")));
const byKind = (kind: string): any => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};

describe("deploy/kubernetes", () => {
  const deployment = byKind("Deployment");
  const container = deployment.spec.template.spec.containers[0];
  const env = container.env as EnvVar[];
  const secret = JSON.parse(readFileSync(SECRET_EXAMPLE, "utf8"));
  const configMap = byKind("ConfigMap");

  it("kubectl apply -f deploy/kubernetes/ applies no Secret: the example would replace the real one with placeholders", () => {
    expect(manifests.filter((m) => m.kind === "Secret").map((m) => m.metadata?.name)).toEqual([]);
    expect(secret.kind).toBe("Secret");
    // Placeholders only: real values are created out of band, never committed.
    for (const [key, value] of Object.entries(secret.stringData as Record<string, string>)) expect(value, key).toMatch(/REPLACE-WITH/);
  });

  it("names only environment variables the service reads", () => {
    const known = new Set([CONFIG_FILE_ENV, ...Object.keys(ENV_SETTINGS)]);
    for (const v of env) expect(known.has(v.name), v.name).toBe(true);
    for (const key of Object.keys(secret.stringData)) expect(known.has(key), `Secret key ${key}`).toBe(true);
  });

  it("assembles a configuration that loads: the ConfigMap's file plus the Secret's values", () => {
    const configFile = env.find((v) => v.name === CONFIG_FILE_ENV)!.value!;
    const mount = container.volumeMounts.find((m: { mountPath: string }) => configFile.startsWith(`${m.mountPath}/`));
    const volume = deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === mount.name);
    expect(volume.configMap.name).toBe(configMap.metadata.name);
    const fileName = configFile.slice(mount.mountPath.length + 1);
    const dir = mkdtempSync(join(tmpdir(), "patella-k8s-"));
    writeFileSync(join(dir, fileName), configMap.data[fileName]);

    const fromSecret: Record<string, string> = {};
    for (const v of env) {
      const ref = v.valueFrom?.secretKeyRef;
      if (!ref) continue;
      expect(ref.name).toBe(secret.metadata.name);
      expect(Object.keys(secret.stringData)).toContain(ref.key);
      fromSecret[v.name] = secret.stringData[ref.key];
    }
    // Strict schema: a misspelt or unknown setting in the ConfigMap fails here.
    const config = loadConfig({ [CONFIG_FILE_ENV]: join(dir, fileName), ...fromSecret });
    expect(config.databaseUrl).toMatch(/^postgresql:\/\//);
    expect(config.feedback.operatorToken).toBeDefined();
    // Replicas need the shared database: without it each pod would keep its own used token ids.
    expect(Object.keys(fromSecret)).toContain("PATELLA_DATABASE_URL");

    const port = container.ports.find((p: { name: string }) => p.name === container.readinessProbe.httpGet.port);
    expect(port.containerPort).toBe(config.port);
    expect(config.host).toBe("0.0.0.0");
  });

  it("checks readiness and liveness on /healthz, and the Service and HPA point at the Deployment", () => {
    expect(container.readinessProbe.httpGet.path).toBe("/healthz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    const service = byKind("Service");
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(container.ports.map((p: { name: string }) => p.name)).toContain(service.spec.ports[0].targetPort);
    const hpa = byKind("HorizontalPodAutoscaler");
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: "Deployment", name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    // The grace period must outlast the service's own drain (10 s, server.ts).
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(10);
  });

  it("waits in preStop for the load balancer to stop routing to the pod, then drains, all within the grace period", () => {
    // The preStop sleep runs before SIGTERM, and counts in terminationGracePeriodSeconds:
    // preStop + the service's drain (server.ts's close(), 10 s) must end before the SIGKILL.
    const preStop = container.lifecycle?.preStop;
    // An exec of sleep (in node:20-bookworm-slim: coreutils, an Essential package, ships
    // /bin/sleep), or Kubernetes' own sleep handler (beta and on by default from 1.30, GA in 1.34).
    const command: string[] | undefined = preStop?.exec?.command;
    const seconds = command === undefined ? preStop?.sleep?.seconds : command[0] === "/bin/sleep" && command.length === 2 ? Number(command[1]) : NaN;
    expect(Number.isInteger(seconds), JSON.stringify(preStop)).toBe(true);
    // A few seconds: endpoints and load balancers take that long to stop sending to a pod.
    expect(seconds).toBeGreaterThanOrEqual(3);
    const server = readFileSync(join(ROOT, "cds-service/server.ts"), "utf8");
    const drainMs = Number(/close: \(graceMs = ([\d_]+)\)/.exec(server)?.[1]?.replaceAll("_", ""));
    expect(drainMs).toBeGreaterThan(0);
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds;
    expect(seconds + drainMs / 1000, `preStop ${seconds} s + drain ${drainMs / 1000} s within the ${grace} s grace period`).toBeLessThanOrEqual(grace);
  });

  it("copies every model file the service's default settings load into the image", () => {
    const containerfile = readFileSync(join(ROOT, "deploy/Containerfile"), "utf8");
    const { model } = parseConfig({ publicBaseUrl: "https://cds.example" });
    const copied = containerfile
      .split("\n")
      .filter((line) => line.startsWith("COPY "))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    for (const file of [model.path, model.baselinePath, model.modelCardPath]) expect(copied).toContain(file);
  });

  it("runs the compiled entry point that npm run build produces", () => {
    const containerfile = readFileSync(join(ROOT, "deploy/Containerfile"), "utf8");
    const buildConfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.build.json"), "utf8"));
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const entry = `${buildConfig.compilerOptions.outDir}/cds-service/main.js`;
    expect(containerfile).toContain(`CMD ["node", "${entry}"]`);
    expect(containerfile).toContain("RUN npm run build");
    expect(pkg.scripts.serve).toBe(`node ${entry}`);
  });
});
