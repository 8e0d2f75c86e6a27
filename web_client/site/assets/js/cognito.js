// Cognito's public (unauthenticated) JSON API: the calls a browser app makes with its client id.

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";

// What a page says when it has nothing more precise for a refusal of this type: Cognito's
// own message is written for developers ("1 validation error detected: Value at...").
const MESSAGES = {
  NetworkError: "The sign-in service could not be reached. Check your connection and try again.",
  NotAuthorizedException: "The sign-in service refused this: sign in again and retry.",
  UnsupportedChallenge: "This account needs a sign-in step this shop does not offer: ask the shop's admin.",
};
const DEFAULT_MESSAGE = "The sign-in service refused this: check what you entered and try again.";

/** A refusal from Cognito: `type` is the exception name (e.g. `NotAuthorizedException`),
 * `message` the page's words for it; `detail`, Cognito's own text, is read (which field it
 * names), never shown. */
export class CognitoError extends Error {
  constructor(type, detail = "") {
    super(MESSAGES[type] ?? DEFAULT_MESSAGE);
    this.name = "CognitoError";
    this.type = type;
    this.detail = detail;
  }
}

export class CognitoClient {
  constructor(endpoint, clientId) {
    this.endpoint = endpoint;
    this.clientId = clientId;
  }

  signUp(username, email, password) {
    return this.#call("SignUp", {
      ClientId: this.clientId,
      Username: username,
      Password: password,
      UserAttributes: [{ Name: "email", Value: email }],
    });
  }

  confirmSignUp(username, code) {
    return this.#call("ConfirmSignUp", {
      ClientId: this.clientId,
      Username: username,
      ConfirmationCode: code,
    });
  }

  resendConfirmationCode(username) {
    return this.#call("ResendConfirmationCode", { ClientId: this.clientId, Username: username });
  }

  /**
   * Resolves to `{tokens}`, or `{challenge, session}` when Cognito asks for one more step: a
   * new password (an account created by an admin) or the authenticator app's code.
   */
  async signIn(username, password) {
    return authOutcome(
      await this.#call("InitiateAuth", {
        ClientId: this.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  }

  async setNewPassword(username, newPassword, session) {
    return authOutcome(
      await this.#call("RespondToAuthChallenge", {
        ClientId: this.clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
      }),
    );
  }

  /** The code of the user's authenticator app, when their sign-in asks for it. */
  async answerMfaChallenge(username, code, session) {
    return authOutcome(
      await this.#call("RespondToAuthChallenge", {
        ClientId: this.clientId,
        ChallengeName: "SOFTWARE_TOKEN_MFA",
        Session: session,
        ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
      }),
    );
  }

  /** E-mails the user a code that sets a new password (`resetPassword`); resolves to where
   * it went, masked as Cognito gives it ("a***@e***"), or "" when it does not say. */
  async forgotPassword(username) {
    const answer = await this.#call("ForgotPassword", { ClientId: this.clientId, Username: username });
    return answer.CodeDeliveryDetails?.Destination ?? "";
  }

  /** Sets the password of `username` with the code `forgotPassword` e-mailed. */
  resetPassword(username, code, password) {
    return this.#call("ConfirmForgotPassword", {
      ClientId: this.clientId,
      Username: username,
      ConfirmationCode: code,
      Password: password,
    });
  }

  /** The signed-in user's new password, given the one they have now. */
  changePassword(accessToken, previousPassword, proposedPassword) {
    return this.#call("ChangePassword", {
      AccessToken: accessToken,
      PreviousPassword: previousPassword,
      ProposedPassword: proposedPassword,
    });
  }

  /** Sign-out: the refresh token (and the access tokens issued with it) stop working. */
  revokeToken(refreshToken) {
    return this.#call("RevokeToken", { ClientId: this.clientId, Token: refreshToken });
  }

  /** Every refresh token of the user, in every browser, stops working. */
  globalSignOut(accessToken) {
    return this.#call("GlobalSignOut", { AccessToken: accessToken });
  }

  /** Whether the user has turned on an authenticator app. */
  async mfaEnabled(accessToken) {
    const user = await this.#call("GetUser", { AccessToken: accessToken });
    return (user.UserMFASettingList || []).includes("SOFTWARE_TOKEN_MFA");
  }

  /** A new secret for an authenticator app; it counts once `enableMfa` confirms a code of it. */
  async newMfaSecret(accessToken) {
    return (await this.#call("AssociateSoftwareToken", { AccessToken: accessToken })).SecretCode;
  }

  /** Checks a code of the new secret, then makes sign-in ask for the app's code. */
  async enableMfa(accessToken, code) {
    await this.#call("VerifySoftwareToken", {
      AccessToken: accessToken,
      UserCode: code,
      FriendlyDeviceName: "Authenticator app",
    });
    await this.#call("SetUserMFAPreference", {
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
  }

  /** New ID and access tokens; Cognito keeps the refresh token as it is. */
  async refresh(refreshToken) {
    const result = await this.#call("InitiateAuth", {
      ClientId: this.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    return tokensFrom(result.AuthenticationResult, refreshToken);
  }

  async #call(action, body) {
    let response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": TARGET_PREFIX + action,
        },
        body: JSON.stringify(body),
      });
    } catch {
      throw new CognitoError("NetworkError");
    }
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) {
      const type = String(payload.__type || response.headers.get("x-amzn-ErrorType") || "Error");
      // `__type` may be namespaced (`com.amazonaws...#NotAuthorizedException`) or carry a suffix.
      const name = type.split("#").pop().split(":")[0];
      throw new CognitoError(name, payload.message || payload.Message || `HTTP ${response.status}`);
    }
    return payload;
  }
}

// The sign-in steps this app offers after the password.
const SUPPORTED_CHALLENGES = ["NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA"];

function authOutcome(result) {
  if (SUPPORTED_CHALLENGES.includes(result.ChallengeName)) {
    return { challenge: result.ChallengeName, session: result.Session };
  }
  if (result.ChallengeName) {
    throw new CognitoError("UnsupportedChallenge", result.ChallengeName);
  }
  return { tokens: tokensFrom(result.AuthenticationResult) };
}

function tokensFrom(result, refreshToken = undefined) {
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken || refreshToken,
  };
}
