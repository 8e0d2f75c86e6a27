// Sign-in, sign-up and e-mail confirmation against the user pool's public API.

import { whileBusy } from "../busy.js";
import { CognitoError } from "../cognito.js";
import { h, replaceChildren } from "../dom.js";
import { createForm, emailAddress, requireFilled, validate } from "../forms.js";
import { PASSWORD_MIN_LENGTH, SIGNED_OUT_WITHIN_MINUTES } from "../limits.js";
import { createNotice, pageHeader } from "./common.js";

const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters, with upper and lower case letters, a digit and a symbol.`;
// The user pool's password policy (bootstrap/template.yaml), each rule said on its own, so
// that a refusal names the rule that failed rather than Cognito's wording.
const POLICY_RULES = [
  [(password) => password.length >= PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`],
  [(password) => /[a-z]/.test(password), "Add a lower case letter."],
  [(password) => /[A-Z]/.test(password), "Add an upper case letter."],
  [(password) => /[0-9]/.test(password), "Add a digit."],
  [(password) => /[^A-Za-z0-9]/.test(password), "Add a symbol, such as ! or #."],
];

/** The rules of a new password in the field labelled `label`: Cognito refuses one that begins
 * or ends with a space (the form never trims a password: what is typed is the password), then
 * the policy's. */
function passwordRules(label) {
  return [[(password) => !/^\s|\s$/.test(password), `${label} must not begin or end with a space.`], ...POLICY_RULES];
}
const TOO_MANY = { message: "Too many attempts: wait a minute and try again." };
const COMMON_ERRORS = {
  TooManyRequestsException: TOO_MANY,
  TooManyFailedAttemptsException: TOO_MANY,
  LimitExceededException: TOO_MANY,
};

// Beside a field Cognito refused as malformed (an InvalidParameterException naming it).
const FIELD_RULES = {
  username: "Use 1 to 128 letters, digits and punctuation: no spaces.",
  email: "Enter an e-mail address such as name@example.com.",
  password: PASSWORD_HINT,
  newPassword: PASSWORD_HINT,
  code: "Type the code exactly as it was sent to you.",
};

/**
 * Turns a Cognito refusal into the form's `{message, fieldErrors}`, in the page's words.
 * `known[type]` may give a `message` and the `field` it concerns (with `fieldMessage`, else
 * the message, beside it), or the field to `focus` when it marks none. An
 * InvalidParameterException goes beside the field it names.
 */
export function cognitoErrors(known, fieldNames) {
  return (error) => {
    if (!(error instanceof CognitoError)) return null;
    const rule = known[error.type] ?? COMMON_ERRORS[error.type];
    const field =
      rule?.field ??
      (error.type === "InvalidParameterException"
        ? fieldNames.find((name) => error.detail.toLowerCase().includes(name.toLowerCase()))
        : undefined);
    const message = rule?.message ?? (field ? "Check the field marked below." : error.message);
    return {
      message,
      fieldErrors: field ? [{ field, message: rule?.fieldMessage ?? FIELD_RULES[field] ?? message }] : [],
      focus: rule?.focus,
    };
  };
}

// Why a page asked to sign in (`reason` in its address), said on the sign-in page and kept,
// with the page to come back to (`next`), through sign-up and confirmation.
const PURPOSES = {
  checkout: { signIn: "Sign in to place your order.", confirmed: "Your account is confirmed: sign in to place your order." },
};

/** The address of `path` with `extra` and the way back of this address (`next`, and a known
 * `reason`) in its query. */
function withWayBack(path, params, extra = {}) {
  const query = new URLSearchParams(extra);
  if (params.get("next")) query.set("next", params.get("next"));
  if (PURPOSES[params.get("reason")]) query.set("reason", params.get("reason"));
  return query.size > 0 ? `${path}?${query}` : path;
}

/** A link to `path` that takes along the username typed in `form`, so that page need not
 * ask for it again. */
function linkTakingUsername(form, path, params, label) {
  const link = h("a", {}, label);
  const follow = () => {
    const username = form.elements.username.value.trim();
    link.href = `#${withWayBack(path, params, username ? { username } : {})}`;
  };
  follow();
  form.elements.username.addEventListener("input", follow);
  return link;
}

const usernameField = (value = "") => ({
  name: "username",
  label: "Username",
  value,
  autocomplete: "username",
  autocapitalize: "none",
  spellcheck: "false",
});

export function signInView({ cognito, session, params, navigate, next }) {
  const notice = createNotice();
  if (params.get("reason") === "expired") {
    notice.show("Your session has expired. Sign in again to continue.", "error");
  } else if (params.get("reason") === "everywhere") {
    notice.show(`You are signed out everywhere: every other browser signed in to your account is signed out within ${SIGNED_OUT_WITHIN_MINUTES} minutes.`);
  } else if (params.get("reason") === "not-revoked") {
    notice.show(
      "You are signed out of this browser, but the sign-in service could not be reached to end the session for good. Sign in and use Sign out everywhere (Security) once you are online.",
      "error",
    );
  } else if (params.get("confirmed")) {
    notice.show(PURPOSES[params.get("reason")]?.confirmed ?? "Your account is confirmed: sign in to start shopping.");
  } else if (params.get("reset")) {
    notice.show("Your password is changed: sign in with the new one.");
  } else if (PURPOSES[params.get("reason")]) {
    notice.show(PURPOSES[params.get("reason")].signIn);
  }
  const container = h("div", {});
  const signedIn = (tokens) => {
    session.start(tokens);
    navigate(next);
  };

  const { form } = createForm({
    fields: [usernameField(params.get("username") || ""), { name: "password", label: "Password", type: "password", autocomplete: "current-password" }],
    submitLabel: "Sign in",
    busyLabel: "Signing in…",
    describeError: cognitoErrors(
      {
        // Which of the two is wrong is not said (nor marked): the password is the one to type again.
        NotAuthorizedException: { message: "Incorrect username or password.", focus: "password" },
        UserNotFoundException: { message: "Incorrect username or password.", focus: "password" },
      },
      ["username", "password"],
    ),
    onSubmit: async (values) => {
      requireFilled(values, { username: "your username", password: "your password" });
      let outcome;
      try {
        outcome = await cognito.signIn(values.username, values.password);
      } catch (error) {
        if (error.type !== "UserNotConfirmedException") throw error;
        navigate(withWayBack("/confirm", params, { username: values.username }));
        return;
      }
      continueSignIn(outcome, values.username);
    },
  });
  // After the password, Cognito may ask for one more step before it hands out tokens.
  function continueSignIn(outcome, username) {
    if (!outcome.challenge) {
      signedIn(outcome.tokens);
      return;
    }
    const step = outcome.challenge === "SOFTWARE_TOKEN_MFA" ? mfaCodeForm : newPasswordForm;
    replaceChildren(container, step(cognito, username, outcome.session, (next) => continueSignIn(next, username)));
    container.querySelector("input")?.focus();
  }
  replaceChildren(container, form);
  return h(
    "section",
    { class: "auth" },
    pageHeader("Sign in"),
    notice.element,
    container,
    h("p", { class: "auth__switch" }, linkTakingUsername(form, "/forgot-password", params, "Forgot password?")),
    h("p", { class: "auth__switch" }, "New here? ", h("a", { href: `#${withWayBack("/sign-up", params)}` }, "Create an account")),
  );
}

/** The new password field of a reset or a change. */
export const NEW_PASSWORD_FIELD = { name: "newPassword", label: "New password", type: "password", autocomplete: "new-password", hint: PASSWORD_HINT };
export const NEW_PASSWORD_RULES = passwordRules(NEW_PASSWORD_FIELD.label);

const CODE_DESTINATION_KEY = "shop.passwordResetSentTo";

/** Where this tab's last "Forgot password?" sent `username`'s code; null for anyone else. */
function codeDestination(username) {
  try {
    const sent = JSON.parse(sessionStorage.getItem(CODE_DESTINATION_KEY));
    return sent?.username === username && typeof sent.destination === "string" ? sent.destination || null : null;
  } catch {
    return null;
  }
}

// "Forgot password?": Cognito e-mails a code (ForgotPassword), then the code sets a new
// password (ConfirmForgotPassword). Whether an account exists is never said: Cognito
// answers alike for a name it does not know.
export function forgotPasswordView({ cognito, params, navigate }) {
  const { form } = createForm({
    fields: [usernameField(params.get("username") || "")],
    submitLabel: "E-mail me a code",
    busyLabel: "Sending…",
    describeError: cognitoErrors({}, ["username"]),
    onSubmit: async ({ username }) => {
      requireFilled({ username }, { username: "your username" });
      const destination = await cognito.forgotPassword(username);
      // Where Cognito sent this user's code (masked) stays in this tab: a link cannot say it.
      sessionStorage.setItem(CODE_DESTINATION_KEY, JSON.stringify({ username, destination }));
      navigate(withWayBack("/reset-password", params, { username, sent: "1" }));
    },
  });
  return h(
    "section",
    { class: "auth" },
    pageHeader("Forgot your password?"),
    h("p", {}, "Enter your username: we e-mail you a code that sets a new password."),
    form,
    h("p", { class: "auth__switch" }, h("a", { href: `#${withWayBack("/sign-in", params)}` }, "Back to sign in")),
  );
}

export function resetPasswordView({ cognito, params, navigate }) {
  const notice = createNotice();
  const sent = params.get("sent") ? codeDestination(params.get("username")) : null;
  notice.show(
    sent
      ? `If an account of that name exists, a code is on its way to ${sent}: enter it below with your new password.`
      : "If an account of that name exists, a code is on its way to its e-mail address: enter it below with your new password.",
  );
  const { form } = createForm({
    fields: [
      usernameField(params.get("username") || ""),
      { name: "code", label: "Code from the e-mail", autocomplete: "one-time-code", inputmode: "numeric" },
      NEW_PASSWORD_FIELD,
    ],
    submitLabel: "Set new password",
    busyLabel: "Setting password…",
    describeError: cognitoErrors(
      {
        CodeMismatchException: {
          message: "The code is not right.",
          field: "code",
          fieldMessage: "This code does not match: check the e-mail and type it again.",
        },
        ExpiredCodeException: {
          message: "The code has expired.",
          field: "code",
          fieldMessage: "This code no longer works: ask for a new one.",
        },
        UserNotFoundException: { message: "The code is not right.", field: "code" },
        InvalidPasswordException: { message: "Choose a stronger password.", field: "newPassword" },
      },
      ["username", "code", "newPassword"],
    ),
    onSubmit: async (values) => {
      requireFilled(values, { username: "your username", code: "the code", newPassword: "a new password" });
      validate(values, { newPassword: NEW_PASSWORD_RULES });
      await cognito.resetPassword(values.username, values.code, values.newPassword);
      navigate(withWayBack("/sign-in", params, { username: values.username, reset: "1" }));
    },
  });
  return h(
    "section",
    { class: "auth" },
    pageHeader("Set a new password"),
    notice.element,
    form,
    h("p", { class: "auth__switch" }, h("a", { href: `#${withWayBack("/forgot-password", params, { username: params.get("username") || "" })}` }, "Send a new code")),
  );
}

const SIGN_IN_TOO_SLOW = { message: "This sign-in took too long: reload the page and start again." };

// With two-step sign-in on, the password is followed by the authenticator app's code.
function mfaCodeForm(cognito, username, challengeSession, continueWith) {
  return h(
    "div",
    {},
    h("p", {}, "Two-step sign-in is on for this account: enter the 6-digit code your authenticator app shows for Shop."),
    createForm({
      fields: [
        { name: "code", label: "Authentication code", autocomplete: "one-time-code", inputmode: "numeric" },
      ],
      submitLabel: "Verify and sign in",
      busyLabel: "Signing in…",
      describeError: cognitoErrors(
        {
          CodeMismatchException: {
            message: "The code is not right.",
            field: "code",
            fieldMessage: "This code does not match: type the code your app shows now.",
          },
          NotAuthorizedException: SIGN_IN_TOO_SLOW,
        },
        ["code"],
      ),
      onSubmit: async ({ code }) => {
        requireFilled({ code }, { code: "the code from your authenticator app" });
        continueWith(await cognito.answerMfaChallenge(username, code.trim(), challengeSession));
      },
    }).form,
  );
}

// An account created by an admin starts with a temporary password the user must replace.
function newPasswordForm(cognito, username, challengeSession, continueWith) {
  return h(
    "div",
    {},
    h("p", {}, "This is your first sign-in: choose your own password to replace the temporary one."),
    createForm({
      fields: [
        NEW_PASSWORD_FIELD,
      ],
      submitLabel: "Set password and sign in",
      busyLabel: "Signing in…",
      describeError: cognitoErrors(
        {
          InvalidPasswordException: { message: "Choose a stronger password.", field: "newPassword" },
          NotAuthorizedException: SIGN_IN_TOO_SLOW,
        },
        ["newPassword"],
      ),
      onSubmit: async ({ newPassword }) => {
        requireFilled({ newPassword }, { newPassword: "a new password" });
        validate({ newPassword }, { newPassword: NEW_PASSWORD_RULES });
        continueWith(await cognito.setNewPassword(username, newPassword, challengeSession));
      },
    }).form,
  );
}

export function signUpView({ cognito, params, navigate }) {
  const { form } = createForm({
    fields: [
      { ...usernameField(), hint: "The name you will sign in with." },
      { name: "email", label: "E-mail address", type: "email", autocomplete: "email", hint: "We send a confirmation code there." },
      { name: "password", label: "Password", type: "password", autocomplete: "new-password", hint: PASSWORD_HINT },
    ],
    submitLabel: "Create account",
    busyLabel: "Creating account…",
    describeError: cognitoErrors(
      {
        UsernameExistsException: {
          message: "This username is taken.",
          field: "username",
          fieldMessage: "Choose another username: this one is taken.",
        },
        InvalidPasswordException: { message: "Choose a stronger password.", field: "password" },
      },
      ["username", "email", "password"],
    ),
    onSubmit: async (values) => {
      requireFilled(values, { username: "a username", email: "your e-mail address", password: "a password" });
      validate(values, {
        email: [[emailAddress, "Enter an e-mail address such as name@example.com."]],
        password: passwordRules("Password"),
      });
      await cognito.signUp(values.username, values.email.trim(), values.password);
      navigate(withWayBack("/confirm", params, { username: values.username, sent: "1" }));
    },
  });
  return h(
    "section",
    { class: "auth" },
    pageHeader("Create an account"),
    form,
    h("p", { class: "auth__switch" }, "Already have an account? ", h("a", { href: `#${withWayBack("/sign-in", params)}` }, "Sign in")),
  );
}

// Cognito refuses to confirm an account that is confirmed (NotAuthorizedException), and to
// send it a new code (InvalidParameterException "User is already confirmed.").
const CONFIRMED_ALREADY = {
  message: "This account is confirmed already: sign in with its password.",
  field: "username",
  fieldMessage: "This account is confirmed already.",
};

function confirmedAlready(error) {
  return error.type === "NotAuthorizedException" || (error.type === "InvalidParameterException" && /already confirmed/i.test(error.detail));
}

export function confirmView({ cognito, params, navigate }) {
  const notice = createNotice();
  notice.show(
    params.get("sent")
      ? "We have e-mailed you a confirmation code: enter it below."
      : "Enter the confirmation code from the e-mail we sent you when you signed up.",
  );
  const resend = h("button", { type: "button", class: "button" }, "Send a new code");
  const { form, values, showError, clearErrors } = createForm({
    fields: [
      usernameField(params.get("username") || ""),
      { name: "code", label: "Confirmation code", autocomplete: "one-time-code", inputmode: "numeric" },
    ],
    extra: resend,
    submitLabel: "Confirm",
    busyLabel: "Confirming…",
    describeError: (error) =>
      cognitoErrors(
        {
          CodeMismatchException: {
            message: "The code is not right.",
            field: "code",
            fieldMessage: "This code does not match: check the e-mail and type it again.",
          },
          ExpiredCodeException: { message: "The code has expired.", field: "code", fieldMessage: "This code has expired: send a new one." },
          UserNotFoundException: { message: "No account waits for confirmation under this username.", field: "username" },
          ...(confirmedAlready(error) ? { [error.type]: CONFIRMED_ALREADY } : {}),
        },
        ["username", "code"],
      )(error),
    onSubmit: async (values) => {
      requireFilled(values, { username: "your username", code: "the code" });
      await cognito.confirmSignUp(values.username, values.code);
      navigate(withWayBack("/sign-in", params, { username: values.username, confirmed: "1" }));
    },
  });
  resend.addEventListener("click", async () => {
    try {
      await whileBusy(resend, async () => {
        const { username } = values();
        requireFilled({ username }, { username: "your username" });
        await cognito.resendConfirmationCode(username);
      });
      // The refusal of the code before is not about the new one.
      clearErrors();
      notice.show("A new code is on its way: enter it below.");
    } catch (error) {
      showError(error);
    }
  });
  return h("section", { class: "auth" }, pageHeader("Confirm your e-mail address"), notice.element, form);
}
