// @vitest-environment jsdom
/**
 * launch.html keeps the card's indexDate and cardUuid from the launch link (the CDS service's
 * appContextInLaunchUrl quirk, for EHRs that drop appContext) in sessionStorage across the
 * OAuth redirect, checked: a date that is not a real day, or after today (UTC), is refused
 * before anything leaves the app's origin; a launch without them forgets an earlier launch's.
 */
import { describe, expect, it, vi } from "vitest";
import { LAUNCH_CONTEXT_KEY } from "../../app/smart/launch-context.ts";
import { FHIR_BASE, useLaunchEhr } from "./launch-ehr.ts";

// fhirclient's browser build, as the app is built with (see launch.test.ts).
vi.mock("fhirclient", async () => ({ default: (await import("fhirclient/lib/entry/browser.js")).default }));

const { requested, launchWith } = useLaunchEhr();


const ehrLaunch = `iss=${encodeURIComponent(FHIR_BASE)}&launch=xyz`;
const CARD = "0b6f3c1e-5d2a-4c8e-9f71-2a4b6c8d0e1f";
const alertText = () => document.querySelector('[role="alert"]')?.textContent;
const authorizing = () => vi.waitFor(() => expect(sessionStorage.getItem("SMART_KEY")).not.toBeNull());
const kept = () => JSON.parse(sessionStorage.getItem(LAUNCH_CONTEXT_KEY) ?? "null");

/** Today and tomorrow in UTC, as the launch page reads them. */
const utcDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe("launch.html's OAuth state", () => {
  it("is 256 random bits (43 base64url characters), another for each launch, not fhirclient's 16 from Math.random", async () => {
    const states: string[] = [];
    for (let i = 0; i < 2; i++) {
      sessionStorage.clear();
      vi.resetModules();
      await launchWith(ehrLaunch);
      await authorizing();
      states.push(sessionStorage.getItem("SMART_KEY")!);
    }
    for (const state of states) expect(JSON.parse(state)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(states[0]).not.toBe(states[1]);
  });
});

describe("launch.html and the card's context in the launch link", () => {
  it("keeps a valid indexDate and cardUuid for the app page, and still authorizes", async () => {
    await launchWith(`${ehrLaunch}&cardUuid=${CARD}&indexDate=2025-06-30`);
    await authorizing();
    expect(kept()).toEqual({ indexDate: "2025-06-30", cardUuid: CARD });
    expect(alertText()).toBeUndefined();
  });

  it("keeps today's date (the card made just now)", async () => {
    const today = utcDay(0);
    await launchWith(`${ehrLaunch}&indexDate=${today}`);
    await authorizing();
    expect(kept()).toEqual({ indexDate: today });
  });

  it.each([
    ["a day that does not exist", "2025-02-30", "the launch link's indexDate is not a date (YYYY-MM-DD)"],
    ["a partial date", "2025-06", "the launch link's indexDate is not a date (YYYY-MM-DD)"],
    ["tomorrow (UTC)", utcDay(1), "the launch link's indexDate is after today (UTC)"],
  ])("refuses an indexDate that is %s, before any request to the EHR", async (_what, date, reason) => {
    await launchWith(`${ehrLaunch}&indexDate=${date}`);
    await vi.waitFor(() => expect(alertText()).toBeDefined());
    expect(alertText()).toBe(`Could not start the SMART launch: ${reason}`);
    expect(requested.filter((url) => !url.startsWith(location.origin))).toEqual([]);
    expect(sessionStorage.getItem(LAUNCH_CONTEXT_KEY)).toBeNull();
  });

  it("refuses a cardUuid that is not a UUID, without quoting it", async () => {
    await launchWith(`${ehrLaunch}&cardUuid=${encodeURIComponent("<script>")}`);
    await vi.waitFor(() => expect(alertText()).toBe("Could not start the SMART launch: the launch link's cardUuid is not a UUID"));
  });

  it("forgets an earlier launch's context when this link has none", async () => {
    sessionStorage.setItem(LAUNCH_CONTEXT_KEY, JSON.stringify({ indexDate: "2025-06-30" }));
    await launchWith(ehrLaunch);
    await authorizing();
    expect(sessionStorage.getItem(LAUNCH_CONTEXT_KEY)).toBeNull();
  });
});
