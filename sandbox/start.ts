/**
 * `npm start`: builds the front ends, starts the whole of Patella on 127.0.0.1 with simulated
 * demo patients, and prints the one URL to open. Ctrl-C stops everything.
 * Settings (environment): see sandbox/README.md.
 */
import { readBackendClient } from "./backend-client-file.ts";
import { buildFrontEnds, REPO_ROOT } from "./build-front-ends.ts";
import { modelPathsFromEnv, standaloneLaunchPath, startDemoStack } from "./demo-stack.ts";
import { withPortSetting } from "./listen.ts";

function intSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** Each port's setting and default. */
const PORT_SETTINGS = {
  ehr: ["PATELLA_SANDBOX_PORT", 4100],
  cds: ["PATELLA_SANDBOX_CDS_PORT", 4101],
  app: ["PATELLA_SANDBOX_APP_PORT", 4102],
} as const;

/** The ports by their settings' names, for the message of a port in use. */
const portSettings: Record<string, number> = {};

async function main(): Promise<void> {
  const bulkJwks = process.env.PATELLA_SANDBOX_BULK_JWKS;
  const bulkClientId = process.env.PATELLA_SANDBOX_BULK_CLIENT_ID || "patella-population";
  // The imaging importer writes (system/ create and update): a client of its own, so the bulk
  // client stays read-only.
  const importJwks = process.env.PATELLA_SANDBOX_IMPORT_JWKS;
  const importClientId = process.env.PATELLA_SANDBOX_IMPORT_CLIENT_ID || "patella-imaging-import";
  const portOf = (which: keyof typeof PORT_SETTINGS): number => {
    const [name, fallback] = PORT_SETTINGS[which];
    return (portSettings[name] = intSetting(name, fallback, 1, 65535));
  };
  const ports = { ehr: portOf("ehr"), cds: portOf("cds"), app: portOf("app") };
  const options = {
    host: "127.0.0.1",
    ports,
    seed: intSetting("PATELLA_SANDBOX_SEED", 20260101, 0, 2 ** 32 - 1),
    endDate: new Date().toISOString().slice(0, 10),
    poolSize: intSetting("PATELLA_SANDBOX_POOL", 1000, 60, 20_000),
    patients: intSetting("PATELLA_SANDBOX_PATIENTS", 50, 1, 1000),
    ...modelPathsFromEnv(),
    feedbackDbPath: process.env.PATELLA_SANDBOX_FEEDBACK_DB || `${REPO_ROOT}var/sandbox-feedback.sqlite`,
    backendClients: [
      ...(bulkJwks ? [await readBackendClient(bulkClientId, bulkJwks)] : []),
      ...(importJwks ? [{ ...(await readBackendClient(importClientId, importJwks)), mayWrite: true }] : []),
    ],
  };
  console.log("Building the EHR page and the app...");
  await buildFrontEnds();
  console.log(`Simulating ${options.poolSize} patients (seed ${options.seed}) and choosing ${options.patients} demo patients...`);
  const stack = await startDemoStack(options);
  for (const s of stack.cohort.shortfalls) console.warn(`  note: only ${s.found} of ${s.wanted} "${s.tag}" patients in this pool`);
  // From the process's start (performance's time origin), module loading included: what the
  // user waits for, less npm's own start.
  const seconds = (performance.now() / 1000).toFixed(1);
  console.log(`\nPatella sandbox ready in ${seconds} s (synthetic patients; the model is not validated for clinical use).`);
  console.log(`\n  Open ${stack.ehr.url}\n`);
  console.log(`  FHIR server  ${stack.ehr.fhirBaseUrl}`);
  console.log(`  CDS service  ${stack.cds.url}/cds-services (EHR-signed calls only; /healthz and /model-card are open)`);
  console.log(`  SMART app    ${stack.app.url}${standaloneLaunchPath(stack.ehr.fhirBaseUrl)} (standalone launch: pick a patient, then the app)`);
  console.log("\nCtrl-C stops everything.");

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping...");
    stack.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(`\nThe sandbox could not start: ${withPortSetting((err as Error).message, portSettings)}`);
  process.exit(1);
});
