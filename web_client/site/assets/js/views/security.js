// The account's security: its password, two-step sign-in with an authenticator app, and
// signing out of every browser at once.

import { whileBusy } from "../busy.js";
import { CognitoError } from "../cognito.js";
import { confirmAction } from "../dialog.js";
import { h, replaceChildren } from "../dom.js";
import { createForm, requireFilled, validate } from "../forms.js";
import { SIGNED_OUT_WITHIN_MINUTES } from "../limits.js";
import { qrCodeSvg } from "../qr.js";
import { cognitoErrors, NEW_PASSWORD_FIELD, NEW_PASSWORD_RULES } from "./auth.js";
import { createNotice, pageHeader } from "./common.js";

const ISSUER = "Shop";

/** The address authenticator apps read from the QR code (Google's Key Uri Format). */
export function otpauthUri(username, secret) {
  const label = encodeURIComponent(`${ISSUER}:${username}`);
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(ISSUER)}`;
}

/** The secret in groups of four, easier to type into an app by hand. */
function grouped(secret) {
  return secret.match(/.{1,4}/g).join(" ");
}

export function securityView({ session, user, navigate }) {
  const notice = createNotice();
  const mfa = h("section", { class: "panel", "aria-labelledby": "mfa-title" });
  const everywhere = h(
    "section",
    { class: "panel", "aria-labelledby": "everywhere-title" },
    h("h2", { id: "everywhere-title" }, "Sessions"),
    h("p", {}, `Signed in on a computer you no longer use, or lost a phone? Sign out everywhere signs this browser out at once, and every other one within ${SIGNED_OUT_WITHIN_MINUTES} minutes (none can renew its sign-in).`),
    h(
      "button",
      {
        type: "button",
        class: "button button--danger",
        onclick: async (event) => {
          const button = event.currentTarget;
          const confirmed = await confirmAction({
            title: "Sign out everywhere?",
            message: "Every session of your account ends, in every browser, this one included: you sign in again here too.",
            confirmLabel: "Sign out everywhere",
            cancelLabel: "Keep my sessions",
            danger: true,
          });
          if (!confirmed) return;
          try {
            await whileBusy(button, () => session.signOutEverywhere());
            navigate("/sign-in?reason=everywhere");
          } catch (error) {
            notice.show(error.message, "error");
          }
        },
      },
      "Sign out everywhere",
    ),
  );
  showMfaStatus(mfa, session, user, notice);
  return h("section", { class: "security" }, pageHeader("Account security"), notice.element, passwordPanel(session), mfa, everywhere);
}

/** Change password (Cognito's ChangePassword): the one in use, then the new one. */
function passwordPanel(session) {
  const done = h("p", { class: "field__hint", role: "status" });
  const { form, controls } = createForm({
    fields: [
      { name: "currentPassword", label: "Current password", type: "password", autocomplete: "current-password" },
      NEW_PASSWORD_FIELD,
    ],
    submitLabel: "Change password",
    busyLabel: "Changing…",
    describeError: cognitoErrors(
      {
        NotAuthorizedException: {
          message: "The current password is not right.",
          field: "currentPassword",
          fieldMessage: "Type the password you sign in with now.",
        },
        InvalidPasswordException: { message: "Choose a stronger password.", field: "newPassword" },
      },
      ["currentPassword", "newPassword"],
    ),
    onSubmit: async (values) => {
      done.textContent = "";
      requireFilled(values, { currentPassword: "your current password", newPassword: "a new password" });
      validate(values, { newPassword: NEW_PASSWORD_RULES });
      await session.changePassword(values.currentPassword, values.newPassword);
      for (const control of Object.values(controls)) control.input.value = "";
      done.textContent = "Your password is changed: sign in with the new one from now on.";
    },
  });
  return h("section", { class: "panel", "aria-labelledby": "password-title" }, h("h2", { id: "password-title" }, "Password"), form, done);
}

function mfaTitle() {
  return h("h2", { id: "mfa-title" }, "Two-step sign-in");
}

async function showMfaStatus(container, session, user, notice) {
  replaceChildren(container, mfaTitle(), h("p", { class: "loading", role: "status" }, "Checking…"));
  let enabled;
  try {
    enabled = await session.mfaEnabled();
  } catch (error) {
    replaceChildren(container, mfaTitle(), h("p", { class: "notice notice--error" }, error.message));
    return;
  }
  if (enabled) {
    replaceChildren(
      container,
      mfaTitle(),
      h("p", { "data-mfa-status": "on" }, "Two-step sign-in is on: after your password, sign-in asks for the code your authenticator app shows."),
    );
    return;
  }
  const start = h("button", { type: "button", class: "button button--primary" }, "Turn on two-step sign-in");
  start.addEventListener("click", () => setUp(container, session, user, notice));
  replaceChildren(
    container,
    mfaTitle(),
    h("p", { "data-mfa-status": "off" }, "Two-step sign-in is off. Turn it on so that your password alone is not enough to sign in as you: you will also need the code of an authenticator app on your phone."),
    start,
  );
}

async function setUp(container, session, user, notice) {
  let secret;
  try {
    secret = await session.newMfaSecret();
  } catch (error) {
    notice.show(error.message, "error");
    return;
  }
  const picture = h("div", { class: "qr" }, h("p", { class: "loading", role: "status" }, "Drawing the QR code…"));
  qrCodeSvg(otpauthUri(user.username, secret), "QR code of your authenticator secret").then(
    (svg) => replaceChildren(picture, svg),
    () => replaceChildren(picture, h("p", {}, "The QR code cannot be shown: type the key below into your app instead.")),
  );
  const { form } = createForm({
    fields: [{ name: "code", label: "Code from the app", autocomplete: "one-time-code", inputmode: "numeric" }],
    submitLabel: "Turn on",
    busyLabel: "Turning on…",
    describeError: (error) =>
      error instanceof CognitoError && ["EnableSoftwareTokenMFAException", "CodeMismatchException"].includes(error.type)
        ? {
            message: "The code is not right.",
            fieldErrors: [{ field: "code", message: "This code does not match: type the code the app shows now." }],
          }
        : null,
    onSubmit: async ({ code }) => {
      requireFilled({ code }, { code: "the code your app shows" });
      await session.enableMfa(code.trim());
      await showMfaStatus(container, session, user, notice);
      notice.show("Two-step sign-in is on. From your next sign-in, Shop asks for the app's code.");
      notice.element.focus();
    },
  });
  replaceChildren(
    container,
    mfaTitle(),
    h(
      "ol",
      { class: "steps" },
      h("li", {}, "Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password)."),
      h("li", {}, "Scan this QR code with it, or type in the key below."),
      h("li", {}, "Enter the 6-digit code the app then shows for Shop."),
    ),
    picture,
    h("p", {}, "Key: ", h("code", { class: "secret", "data-secret": secret }, grouped(secret))),
    form,
  );
  form.querySelector("input")?.focus();
}
