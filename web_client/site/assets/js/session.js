// The signed-in user's tokens: kept in memory and in this tab's sessionStorage, never in a URL.

const STORAGE_KEY = "shop.session";
// Refresh a little before expiry so a request never leaves with a token about to lapse.
const REFRESH_MARGIN_SECONDS = 60;
// The vault's roles, highest first (the Cognito groups of bootstrap/template.yaml).
const VAULT_ROLES = ["admin", "editor", "viewer"];

/** The session ran out and could not be refreshed: the user has to sign in again. */
export class SessionExpiredError extends Error {
  constructor() {
    super("Your session has expired. Sign in again to continue.");
    this.name = "SessionExpiredError";
  }
}

/** The claims of a JWT (not verified here: the API verifies every token it receives). */
export function jwtClaims(token) {
  const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(payload), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function readClaims(token) {
  try {
    return jwtClaims(token);
  } catch {
    return null;
  }
}

/**
 * Events: `change` when the user signs in or out, `signed-out` when they sign out (here or
 * everywhere), `expired` when the session ends by itself, `mfa` when the user turns on an
 * authenticator app.
 */
export class Session extends EventTarget {
  #tokens = null;
  #refreshing = null;
  #mfa = null;

  constructor(cognito, storage = window.sessionStorage) {
    super();
    this.cognito = cognito;
    this.storage = storage;
    this.#tokens = this.#load();
  }

  get signedIn() {
    return this.#tokens !== null;
  }

  /** `{username, sub, email, isAdmin, vaultRole}` from the ID token, or null when signed out;
   * `vaultRole` is the highest of the vault's groups (`admin`, `editor`, `viewer`) or null. */
  get user() {
    const claims = this.#tokens && readClaims(this.#tokens.idToken);
    if (!claims) return null;
    const groups = claims["cognito:groups"] || [];
    return {
      username: claims["cognito:username"] || claims.username || claims.sub,
      sub: claims.sub,
      email: claims.email || "",
      isAdmin: groups.includes("admin"),
      vaultRole: VAULT_ROLES.find((role) => groups.includes(role)) || null,
    };
  }

  start(tokens) {
    this.#mfa = null;
    this.#save(tokens);
    this.dispatchEvent(new Event("change"));
  }

  /**
   * Forgets the tokens at once, and revokes the refresh token at Cognito (so a copy of it is
   * worthless); rejects when Cognito could not be reached to revoke it.
   */
  async signOut() {
    const tokens = this.#tokens;
    this.#end();
    if (tokens) await this.cognito.revokeToken(tokens.refreshToken);
  }

  /** Ends every session of the user, in every browser (Cognito's GlobalSignOut). */
  async signOutEverywhere() {
    await this.cognito.globalSignOut(await this.bearerToken());
    this.#end();
  }

  /** Whether the user has turned on an authenticator app (asked once per session). */
  mfaEnabled() {
    this.#mfa ??= this.bearerToken()
      .then((token) => this.cognito.mfaEnabled(token))
      .catch((error) => {
        this.#mfa = null;
        throw error;
      });
    return this.#mfa;
  }

  /** Turns on the authenticator app whose secret `newMfaSecret` gave, with a code of it. */
  async enableMfa(code) {
    await this.cognito.enableMfa(await this.bearerToken(), code);
    this.#mfa = Promise.resolve(true);
    this.dispatchEvent(new Event("mfa"));
  }

  /** A new password for the signed-in user, given the one they have now. */
  async changePassword(previousPassword, proposedPassword) {
    await this.cognito.changePassword(await this.bearerToken(), previousPassword, proposedPassword);
  }

  async newMfaSecret() {
    return this.cognito.newMfaSecret(await this.bearerToken());
  }

  #end() {
    this.#mfa = null;
    this.#save(null);
    this.dispatchEvent(new Event("signed-out"));
    this.dispatchEvent(new Event("change"));
  }

  expire() {
    if (!this.signedIn) return;
    this.#mfa = null;
    this.#save(null);
    this.dispatchEvent(new Event("expired"));
  }

  /** The token the API gets, refreshed first if it is about to expire. */
  async bearerToken() {
    if (!this.#tokens) throw new SessionExpiredError();
    const claims = readClaims(this.#tokens.accessToken);
    const expiresAt = claims && typeof claims.exp === "number" ? claims.exp : 0;
    if (expiresAt - Date.now() / 1000 < REFRESH_MARGIN_SECONDS) await this.refresh();
    return this.#tokens.accessToken;
  }

  /** Trade the refresh token for new tokens; when Cognito refuses, the session is over. */
  refresh() {
    this.#refreshing ??= this.#refreshOnce().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refreshOnce() {
    const current = this.#tokens;
    if (!current) throw new SessionExpiredError();
    try {
      this.#save(await this.cognito.refresh(current.refreshToken));
    } catch (error) {
      if (error.type === "NetworkError") throw error;
      this.expire();
      throw new SessionExpiredError();
    }
  }

  #load() {
    try {
      const stored = JSON.parse(this.storage.getItem(STORAGE_KEY));
      return stored && stored.idToken && stored.accessToken && stored.refreshToken ? stored : null;
    } catch {
      return null;
    }
  }

  #save(tokens) {
    this.#tokens = tokens;
    if (tokens) this.storage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else this.storage.removeItem(STORAGE_KEY);
  }
}
