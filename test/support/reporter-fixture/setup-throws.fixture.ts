import { beforeAll, it } from "vitest";

beforeAll(() => {
  throw new Error("the setup fails, as a server that does not start");
});

it("is skipped, its setup having failed", () => {});
