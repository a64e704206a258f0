/**
 * The OAuth `state` of a launch (and fhirclient's key for the launch's session): 256 bits from the
 * browser's cryptographic generator, base64url. fhirclient's own is 16 characters from
 * Math.random, which is not unpredictable, and SMART App Launch requires an unpredictable state
 * (it binds the authorization answer to this browser's launch; PKCE guards the code besides).
 */
export function oauthState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
