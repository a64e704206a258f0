/** The SMART discovery document (`{fhirBase}/.well-known/smart-configuration`). */

export interface SmartEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
}

export function smartConfiguration(endpoints: SmartEndpoints): Record<string, unknown> {
  return {
    authorization_endpoint: endpoints.authorizeUrl,
    token_endpoint: endpoints.tokenUrl,
    token_endpoint_auth_methods_supported: ["none", "private_key_jwt"],
    token_endpoint_auth_signing_alg_values_supported: ["RS384", "ES384"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    response_types_supported: ["code"],
    code_challenge_methods_supported: ["S256"],
    scopes_supported: [
      "launch",
      "launch/patient",
      "openid",
      "fhirUser",
      "offline_access",
      "online_access",
      "patient/*.rs",
      "user/*.rs",
      "system/*.rs",
    ],
    capabilities: [
      "launch-ehr",
      "launch-standalone",
      "client-public",
      "client-confidential-asymmetric",
      "context-ehr-patient",
      "context-standalone-patient",
      "context-passthrough-banner",
      "permission-patient",
      "permission-user",
      "permission-v2",
      "permission-offline",
      "permission-online",
    ],
  };
}
