/**
 * The launch state fhirclient keeps in the tab's sessionStorage, the app's one reader and editor
 * of it. fhirclient 2.x (lib/smart.js, lib/storage/BrowserStorage.js) stores each launch's state
 * (the server, the endpoints it discovered, the client id, the PKCE secrets, then the token
 * response) as JSON under the launch's key, its OAuth `state` (smart/oauth-state.ts), and under
 * SMART_KEY the JSON string naming the current launch's key, which ready() resumes on a reload.
 * Synchronous: fhirclient's own storage is sessionStorage with JSON values, written at once.
 */
import { SMART_KEY } from "fhirclient/lib/settings.js";

/** One launch's state, as fhirclient stored it. */
export type StoredLaunchState = Record<string, unknown>;

/** Whether fhirclient keeps a launch under this key (a launch begun, or a session, in this tab). */
export function isLaunchStored(storage: Storage, key: string): boolean {
  return storage.getItem(key) !== null;
}

/** The launch's state, or undefined when none is stored or the entry is not fhirclient's JSON
 * object (anything on the page's origin can write sessionStorage). */
export function storedLaunchState(storage: Storage, key: string): StoredLaunchState | undefined {
  let stored: unknown;
  try {
    stored = JSON.parse(storage.getItem(key) ?? "null");
  } catch {
    return undefined;
  }
  return typeof stored === "object" && stored !== null && !Array.isArray(stored) ? (stored as StoredLaunchState) : undefined;
}

/** Stores a launch's whole state, where ready() finds it. */
export function storeLaunchState(storage: Storage, key: string, state: object): void {
  storage.setItem(key, JSON.stringify(state));
}

/** Changes the stored state with `edit`; nothing when no state of fhirclient's is stored. */
export function editStoredLaunchState(storage: Storage, key: string, edit: (state: StoredLaunchState) => void): void {
  const state = storedLaunchState(storage, key);
  if (state === undefined) return;
  edit(state);
  storeLaunchState(storage, key, state);
}

export function forgetLaunch(storage: Storage, key: string): void {
  storage.removeItem(key);
}

/** Forgets the session a reload would resume, as fhirclient's own request() does on a 401
 * (Client._clearState, private): the state SMART_KEY names, and SMART_KEY itself. */
export function forgetCurrentLaunch(storage: Storage): void {
  let current: unknown;
  try {
    current = JSON.parse(storage.getItem(SMART_KEY) ?? "null");
  } catch {
    current = null;
  }
  if (typeof current === "string") forgetLaunch(storage, current);
  storage.removeItem(SMART_KEY);
}
