// @vitest-environment jsdom
/** What the app page reads back of the card's launch-link context: checked again by launch.html's rule. */
import { beforeEach, describe, expect, it } from "vitest";
import { keptLaunchLinkContext, LAUNCH_CONTEXT_KEY } from "../../../app/smart/launch-context.ts";

beforeEach(() => sessionStorage.clear());

describe("keptLaunchLinkContext", () => {
  it("reads what launch.html kept", () => {
    sessionStorage.setItem(LAUNCH_CONTEXT_KEY, JSON.stringify({ indexDate: "2026-01-01" }));
    expect(keptLaunchLinkContext(sessionStorage, "2026-01-02")).toEqual({ indexDate: "2026-01-01" });
  });

  it("keeps nothing that is not JSON, or that launch.html's rule refuses (a date after today)", () => {
    expect(keptLaunchLinkContext(sessionStorage, "2026-01-02")).toEqual({});
    sessionStorage.setItem(LAUNCH_CONTEXT_KEY, "{not json");
    expect(keptLaunchLinkContext(sessionStorage, "2026-01-02")).toEqual({});
    sessionStorage.setItem(LAUNCH_CONTEXT_KEY, JSON.stringify({ indexDate: "2026-01-03" }));
    expect(keptLaunchLinkContext(sessionStorage, "2026-01-02")).toEqual({});
  });
});
