/**
 * Registers a SMART Backend Services client from a JWKS file (its public keys), so a bulk
 * client such as the population export can get system/ tokens from the sandbox.
 */
import { readFile } from "node:fs/promises";
import type { JSONWebKeySet } from "jose";
import type { BackendClient } from "./auth/clients.ts";

export async function readBackendClient(clientId: string, jwksPath: string): Promise<BackendClient> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(jwksPath, "utf8"));
  } catch (err) {
    throw new Error(`Cannot read the JWKS file ${jwksPath}: ${(err as Error).message}`);
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== "object" || k === null || "d" in k)) {
    throw new Error(`The JWKS file ${jwksPath} must be {"keys": [...]} with public keys only (no "d")`);
  }
  return { clientId, jwks: parsed as JSONWebKeySet };
}
