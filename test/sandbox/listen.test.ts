import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, withPortSetting } from "../../sandbox/listen.ts";

const taken = createServer();
let port: number;

beforeAll(async () => {
  await listen(taken, 0, "127.0.0.1", "test server");
  port = (taken.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => taken.close(r)));

describe("listen", () => {
  it("says which port is taken and what cannot start", async () => {
    const second = createServer();
    await expect(listen(second, port, "127.0.0.1", "sandbox EHR")).rejects.toThrow(
      `Port ${port} on 127.0.0.1 is already in use, so the sandbox EHR cannot start.`,
    );
    expect(second.listening).toBe(false);
  });

  it("npm start names the setting of the port in use (sandbox/README.md promises it)", async () => {
    const second = createServer();
    const err = await listen(second, port, "127.0.0.1", "SMART app server").catch((e: Error) => e);
    const settings = { PATELLA_SANDBOX_PORT: port + 1, PATELLA_SANDBOX_CDS_PORT: port + 2, PATELLA_SANDBOX_APP_PORT: port };
    expect(withPortSetting((err as Error).message, settings)).toBe(
      `${(err as Error).message} The setting for this port: PATELLA_SANDBOX_APP_PORT.`,
    );
    expect(withPortSetting("something else failed", settings)).toBe("something else failed");
  });
});
