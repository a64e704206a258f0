/**
 * Runs a test file (or a describe block) under umask 0, which child processes inherit: a file
 * created with the defaults is then 0666 and a folder 0777, so a test of owner-only modes sees
 * what the code sets, not what a cautious umask would have given anyway.
 */
import { afterAll, beforeAll } from "vitest";

export function useUmaskZero(): void {
  let umask: number;
  beforeAll(() => {
    umask = process.umask(0o000);
  });
  afterAll(() => {
    process.umask(umask);
  });
}
