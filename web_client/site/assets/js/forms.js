// Forms with labelled fields, errors shown beside the field they concern, and a busy state.

import { ApiError } from "./api.js";
import { isBusy, whileBusy } from "./busy.js";
import { CognitoError } from "./cognito.js";
import { h, replaceChildren, uniqueId } from "./dom.js";
import { EMAIL_ADDRESS_PATTERN, hiddenCharacter, visible } from "./limits.js";
import { SessionExpiredError } from "./session.js";

// Beside a field the API refused for a reason the page did not check first.
const REFUSED_VALUE = "The shop refused this value: check it.";

/** A refusal in the page's own words (found before anything is sent, or the API's answer
 * explained), in the API's shape: `fieldErrors` [{field, message}], field "body" for the
 * form as a whole. */
export class FormError extends Error {
  constructor(message, fieldErrors = []) {
    super(message);
    this.name = "FormError";
    this.fieldErrors = fieldErrors;
  }
}

/**
 * Checks `values` against `rules`: {field: [[isValid(value), message], ...]}. The first failed
 * check of each field is its error; throws a FormError when any field fails.
 */
export function validate(values, rules) {
  const fieldErrors = [];
  for (const [field, checks] of Object.entries(rules)) {
    const failed = checks.find(([isValid]) => !isValid(values[field] ?? ""));
    if (failed) fieldErrors.push({ field, message: failed[1] });
  }
  if (fieldErrors.length > 0) {
    throw new FormError(fieldErrors.length === 1 ? "Check the field marked below." : "Check the fields marked below.", fieldErrors);
  }
}

export const filled = (value) => value.trim() !== "";

const EMAIL_ADDRESS = new RegExp(`^(?:${EMAIL_ADDRESS_PATTERN})$`);
/** One address the shop can mail (what the API takes as an e-mail address). */
export const emailAddress = (value) => EMAIL_ADDRESS.test(value.trim());

/** The rules of the text fields among `specs` (`<input type="text">`, `<textarea>`): no
 * character the API refuses, named (pasted text can carry a soft hyphen or a zero-width
 * space, which the API would refuse without the page seeing why), and something visible. */
function typedTextRules(specs, values) {
  const texts = specs.filter((spec) => !spec.options && ["text", "textarea"].includes(spec.type ?? "text"));
  return Object.fromEntries(
    texts.map(({ name, type }) => {
      const hidden = hiddenCharacter(values[name] ?? "", { lines: type === "textarea" });
      return [
        name,
        [
          [() => hidden === null, `Remove the character ${hidden}: it does not show as it is (pasted text can carry one).`],
          [(value) => value === "" || visible(value), "Use at least one letter, digit, punctuation mark or symbol."],
        ],
      ];
    }),
  );
}

/** Throws a FormError naming every required field left empty: `labels` {field: "your username"}. */
export function requireFilled(values, labels) {
  validate(
    values,
    Object.fromEntries(Object.entries(labels).map(([field, label]) => [field, [[filled, `Enter ${label}.`]]])),
  );
}

/**
 * A form. `fields`: [{name, label, type, value, hint, autocomplete, inputmode, options, trim, maxlength, ...attributes}]
 * (each value is trimmed unless `trim` is false, a text whose lines are counted, or the field is
 * a password, whose every character counts; `maxlength` in characters, as the API counts them).
 * A text field holding a character the API refuses is marked before `onSubmit(values)` runs.
 * `onSubmit(values)` runs with the form busy; what it throws is shown: ApiError and FormError
 * field errors beside their fields, anything else (after `describeError`) above the buttons.
 * The focus goes to the first field marked, else to the field `describeError` names as
 * `focus` (its content selected: a refused password typed again), else to the message.
 */
export function createForm({ fields, submitLabel, busyLabel, onSubmit, describeError, extra = [] }) {
  const alert = h("div", { class: "form-alert", role: "alert", hidden: true });
  const controls = Object.fromEntries(fields.map((spec) => [spec.name, fieldControl(spec)]));
  const submit = h("button", { type: "submit", class: "button button--primary" }, submitLabel);
  const form = h(
    "form",
    { class: "form", novalidate: true },
    alert,
    Object.values(controls).map((control) => control.wrapper),
    h("div", { class: "form-actions" }, submit, extra),
  );

  const untrimmed = new Set(fields.filter((spec) => spec.trim === false || spec.type === "password").map((spec) => spec.name));
  const values = () =>
    Object.fromEntries(
      Object.entries(controls).map(([name, c]) => [name, untrimmed.has(name) ? c.input.value : c.input.value.trim()]),
    );

  function clearErrors() {
    alert.hidden = true;
    alert.replaceChildren();
    for (const control of Object.values(controls)) control.setError(null);
  }

  function showError(error) {
    const { message, fieldErrors, focus } = explain(error, describeError);
    const unplaced = [];
    let firstInvalid = null;
    for (const fieldError of fieldErrors) {
      const control = controls[fieldError.field];
      if (control) {
        control.setError(fieldError.message);
        firstInvalid ??= control.input;
      } else if (fieldError.field === "body") {
        unplaced.push(fieldError.message);
      }
    }
    replaceChildren(
      alert,
      h("p", {}, message),
      unplaced.length > 0 ? h("ul", {}, unplaced.map((text) => h("li", {}, text))) : null,
    );
    alert.hidden = false;
    const named = controls[focus]?.input;
    if (firstInvalid) {
      firstInvalid.focus();
    } else if (named) {
      // Selected, what is typed next replaces it.
      named.focus();
      named.select();
    } else {
      alert.focus();
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (isBusy(submit)) return;
    clearErrors();
    form.setAttribute("aria-busy", "true");
    try {
      await whileBusy(
        submit,
        async () => {
          const typed = values();
          validate(typed, typedTextRules(fields, typed));
          await onSubmit(typed);
        },
        { label: busyLabel || `${submitLabel}…` },
      );
    } catch (error) {
      // An ended session is handled once, by sending the user to sign in.
      if (!(error instanceof SessionExpiredError)) showError(error);
    } finally {
      form.removeAttribute("aria-busy");
    }
  });

  alert.tabIndex = -1;
  return { form, controls, values, showError, clearErrors };
}

/** `{message, fieldErrors}` in the page's words: `describeError`'s, else the error's own
 * (the API's field errors marked on their fields, without the API's wording). */
function explain(error, describeError) {
  const described = describeError?.(error);
  if (described) return { fieldErrors: [], ...described };
  if (error instanceof FormError) return { message: error.message, fieldErrors: error.fieldErrors };
  if (error instanceof ApiError) {
    return { message: error.message, fieldErrors: error.fieldErrors.map(({ field }) => ({ field, message: REFUSED_VALUE })) };
  }
  if (error instanceof CognitoError) return { message: error.message, fieldErrors: [] };
  return { message: "Something went wrong. Try again.", fieldErrors: [] };
}

/** A labelled input, or a <select> when the field has `options` ([{value, label}]). */
// `trim` is the form's (how it reads the value), not an attribute of the control.
function fieldControl({ name, label, hint, value = "", type = "text", options, trim, maxlength, ...attributes }) {
  const id = uniqueId(`field-${name}`);
  // `maxlength` is the API's limit, in characters (code points); the browser's attribute counts
  // UTF-16 code units, two for some characters (an emoji): twice the limit never stops a text the
  // API takes, and the form's rules refuse a longer one saying so.
  if (maxlength) attributes.maxlength = String(2 * Number(maxlength));
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  // A textarea holds its value as text; a field with `options` is a <select>; any other
  // type is an <input>.
  let input;
  if (type === "textarea") {
    input = h("textarea", { id, name, rows: "4", ...attributes }, value);
  } else if (options) {
    input = h(
      "select",
      { id, name, ...attributes },
      options.map((option) => h("option", { value: option.value, selected: option.value === value }, option.label)),
    );
  } else {
    input = h("input", { id, name, type, value, ...attributes });
  }
  const error = h("p", { class: "field__error", id: errorId, hidden: true });
  const describedBy = () => [hintId, error.hidden ? null : errorId].filter(Boolean).join(" ");
  const wrapper = h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    hint ? h("p", { class: "field__hint", id: hintId }, hint) : null,
    input,
    error,
  );
  const setError = (message) => {
    error.textContent = message || "";
    error.hidden = !message;
    wrapper.classList.toggle("field--invalid", Boolean(message));
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    const ids = describedBy();
    if (ids) input.setAttribute("aria-describedby", ids);
    else input.removeAttribute("aria-describedby");
  };
  setError(null);
  return { wrapper, input, setError };
}
