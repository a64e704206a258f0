/**
 * The PKCE secrets taken out of the launch's stored state once the code is exchanged. fhirclient
 * keeps the state (token response, endpoints, the code verifier and challenge) in the tab's
 * sessionStorage, where a reload finds the session; the verifier and challenge are of no use
 * after the exchange, and a secret kept is one more that any script on the origin could read.
 */
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
  const stored = storage.getItem(key);
  if (stored === null) return;
  try {
    const state = JSON.parse(stored) as Record<string, unknown>;
    delete state.codeVerifier;
    delete state.codeChallenge;
    storage.setItem(key, JSON.stringify(state));
  } catch {
    // Not fhirclient's JSON: nothing of ours to clean.
  }
}
