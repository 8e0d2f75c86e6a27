// The deployment's settings: `config.json` beside index.html (generated at publish time in AWS,
// served by the local stack on a laptop), so the same files run everywhere.

const REQUIRED_KEYS = ["apiUrl", "region", "userPoolId", "userPoolClientId"];

export async function loadConfig() {
  const response = await fetch("config.json", { cache: "no-cache" });
  if (!response.ok) {
    throw new Error(`The shop's settings (config.json) could not be loaded: HTTP ${response.status}.`);
  }
  const raw = await response.json();
  const missing = REQUIRED_KEYS.filter((key) => typeof raw[key] !== "string" || raw[key] === "");
  if (missing.length > 0) {
    throw new Error(`The shop's settings (config.json) lack ${missing.join(", ")}.`);
  }
  return Object.freeze({
    apiUrl: raw.apiUrl.replace(/\/+$/, ""),
    region: raw.region,
    userPoolId: raw.userPoolId,
    clientId: raw.userPoolClientId,
    // The shop's one currency (ISO 4217, a stack parameter): every price is in it.
    currency: /^[A-Z]{3}$/.test(raw.currency ?? "") ? raw.currency : "EUR",
    // Only the local stack names an endpoint; in AWS it is the region's public Cognito API.
    cognitoEndpoint: raw.cognitoEndpoint || `https://cognito-idp.${raw.region}.amazonaws.com/`,
  });
}
