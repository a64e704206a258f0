// @vitest-environment jsdom
/**
 * The app's one reader and editor of the launch state fhirclient keeps in sessionStorage, checked
 * against fhirclient's own storage (lib/storage/BrowserStorage.js, what its authorize(), ready()
 * and refresh() use): what one writes the other reads, so the app edits fhirclient's entries in
 * fhirclient's layout.
 */
import BrowserAdapterModule from "fhirclient/lib/adapters/BrowserAdapter.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  editStoredLaunchState,
  forgetCurrentLaunch,
  forgetLaunch,
  isLaunchStored,
  storedLaunchState,
  storeLaunchState,
} from "../../../app/smart/fhirclient-state.ts";

const BrowserAdapter = ("default" in BrowserAdapterModule ? BrowserAdapterModule.default : BrowserAdapterModule) as typeof BrowserAdapterModule.default;
/** fhirclient's storage in the browser. */
const fhirclientStorage = () => new BrowserAdapter().getStorage();

const KEY = "launch-state-1";
const STATE = { key: KEY, serverUrl: "https://ehr.example/fhir", tokenUri: "https://ehr.example/auth/token", codeVerifier: "v", tokenResponse: { access_token: "t" } };

beforeEach(() => sessionStorage.clear());

describe("reading a launch's state", () => {
  it("reads what fhirclient stored under the launch's key", async () => {
    await fhirclientStorage().set(KEY, STATE);
    expect(isLaunchStored(sessionStorage, KEY)).toBe(true);
    expect(storedLaunchState(sessionStorage, KEY)).toEqual(STATE);
  });

  it("finds none for a key with no entry, and no state in an entry that is not fhirclient's JSON object", () => {
    expect(isLaunchStored(sessionStorage, KEY)).toBe(false);
    expect(storedLaunchState(sessionStorage, KEY)).toBeUndefined();
    for (const written of ["not json", "[1,2]", '"text"', "null"]) {
      sessionStorage.setItem(KEY, written);
      expect(storedLaunchState(sessionStorage, KEY)).toBeUndefined();
    }
  });
});

describe("editing a launch's state", () => {
  it("rewrites the stored state as fhirclient reads it, leaving the rest of it as stored", async () => {
    await fhirclientStorage().set(KEY, STATE);
    editStoredLaunchState(sessionStorage, KEY, (state) => delete state.codeVerifier);
    const { codeVerifier: _removed, ...kept } = STATE;
    expect(await fhirclientStorage().get(KEY)).toEqual(kept);
  });

  it("writes nothing when no state is stored, or what is stored is not fhirclient's", () => {
    editStoredLaunchState(sessionStorage, KEY, (state) => void (state.tokenResponse = {}));
    expect(sessionStorage.getItem(KEY)).toBeNull();
    sessionStorage.setItem(KEY, "not json");
    editStoredLaunchState(sessionStorage, KEY, (state) => void (state.tokenResponse = {}));
    expect(sessionStorage.getItem(KEY)).toBe("not json");
  });

  it("stores a client's whole state where fhirclient's ready() finds it", async () => {
    storeLaunchState(sessionStorage, KEY, STATE);
    expect(await fhirclientStorage().get(KEY)).toEqual(STATE);
  });
});

describe("forgetting launches", () => {
  it("forgets one launch's state, and nothing else", async () => {
    await fhirclientStorage().set(KEY, STATE);
    await fhirclientStorage().set("launch-state-2", STATE);
    forgetLaunch(sessionStorage, KEY);
    expect(await fhirclientStorage().get(KEY)).toBeNull();
    expect(await fhirclientStorage().get("launch-state-2")).toEqual(STATE);
  });

  it("forgets the current session, as fhirclient's own 401 handling does: the state SMART_KEY names and SMART_KEY", async () => {
    // As fhirclient's authorize() leaves it: SMART_KEY names the current launch's key.
    await fhirclientStorage().set("SMART_KEY", KEY);
    await fhirclientStorage().set(KEY, STATE);
    await fhirclientStorage().set("launch-state-2", STATE);
    forgetCurrentLaunch(sessionStorage);
    expect(await fhirclientStorage().get("SMART_KEY")).toBeNull();
    expect(await fhirclientStorage().get(KEY)).toBeNull();
    expect(await fhirclientStorage().get("launch-state-2")).toEqual(STATE);
  });

  it("forgets only SMART_KEY when it names no launch (not fhirclient's JSON string)", async () => {
    await fhirclientStorage().set(KEY, STATE);
    sessionStorage.setItem("SMART_KEY", KEY);
    forgetCurrentLaunch(sessionStorage);
    expect(sessionStorage.getItem("SMART_KEY")).toBeNull();
    expect(await fhirclientStorage().get(KEY)).toEqual(STATE);
  });
});
