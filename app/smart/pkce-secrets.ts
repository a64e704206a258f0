/**
 * The PKCE secrets taken out of the launch's stored state once the code is exchanged. fhirclient
 * keeps the state (token response, endpoints, the code verifier and challenge) in the tab's
 * sessionStorage (fhirclient-state.ts), where a reload finds the session; the verifier and
 * challenge are of no use after the exchange, and a secret kept is one more that any script on
 * the origin could read.
 */
import { editStoredLaunchState } from "./fhirclient-state.ts";

/** The part of fhirclient's client (its ClientState) this touches. */
interface ClientWithState {
  state: { key?: string; codeVerifier?: string; codeChallenge?: string };
}

/** `storage`: where fhirclient keeps the state, under `client.state.key`. */
export function forgetPkceSecrets(client: ClientWithState, storage: Storage): void {
  delete client.state.codeVerifier;
  delete client.state.codeChallenge;
  const key = client.state.key;
  if (key === undefined) return;
  editStoredLaunchState(storage, key, (state) => {
    delete state.codeVerifier;
    delete state.codeChallenge;
  });
}
