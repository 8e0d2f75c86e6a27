// The vault's settings, Notifications section: for each event the addresses it is e-mailed
// to. Everyone with a vault role reads them; an admin changes them (one address a line), and
// only an admin is shown the Save button.

import { ApiError } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { createForm, emailAddress, FormError } from "../forms.js";
import { createNotice, pageHeader } from "./common.js";
import { vaultSchedulesSection } from "./vault-schedules.js";

// The events in the order the API lists them, each in the page's words.
const EVENTS = [
  ["version_detected", "A new version is detected"],
  ["distribution_deleted", "A distribution is deleted"],
  ["distribution_changed", "A rollback, copy or creation"],
  ["users_changed", "Vault users change"],
  ["schedules_changed", "Schedules change"],
  ["detection_failed", "A detection run fails"],
];
// As many recipients as one e-mail takes.
const MAX_ADDRESSES = 50;

export function vaultSettingsView({ api, user, signal }) {
  const notice = createNotice();
  const body = h("div", { class: "list-state", role: "status" }, "Loading the notification lists…");
  api.getNotifications({ signal }).then(
    (lists) => {
      body.className = "";
      body.removeAttribute("role");
      replaceChildren(body, user?.vaultRole === "admin" ? listsForm(api, lists, notice) : listsShown(lists));
    },
    (error) => {
      body.className = "list-state list-state--error";
      body.textContent = error.message;
    },
  );
  return h(
    "section",
    { class: "vault" },
    pageHeader("Vault settings"),
    vaultSchedulesSection({ api, user, signal }),
    h("h2", {}, "Notifications"),
    h("p", { class: "lead" }, "Each event is e-mailed to its own list of addresses, one a line."),
    notice.element,
    body,
  );
}

/** What a viewer or an editor sees: the lists, and no button. */
function listsShown(lists) {
  return h(
    "dl",
    { class: "facts" },
    EVENTS.map(([event, label]) => [h("dt", {}, label), h("dd", {}, lists[event].join(", ") || "Nobody")]),
  );
}

function listsForm(api, lists, notice) {
  // Each list's addresses as last sent, with their lines: the API names an address by index.
  let sent = {};
  const { form } = createForm({
    fields: EVENTS.map(([event, label]) => ({
      name: event,
      label,
      type: "textarea",
      rows: 3,
      value: lists[event].join("\n"),
      spellcheck: "false",
      trim: false,
    })),
    submitLabel: "Save notifications",
    busyLabel: "Saving…",
    onSubmit: async (values) => {
      const wanted = Object.fromEntries(EVENTS.map(([event]) => [event, entries(values[event])]));
      check(wanted);
      sent = wanted;
      await api.setNotifications(Object.fromEntries(Object.entries(wanted).map(([event, list]) => [event, list.map((entry) => entry.address)])));
      notice.show("The notification lists are saved.");
      notice.element.focus();
    },
    describeError: (error) => (error instanceof ApiError ? refusal(error, sent) : null),
  });
  return form;
}

/** Each address of a list with its line: one a line (a comma or semicolon also separates). */
function entries(text) {
  return text.split("\n").flatMap((line, index) =>
    line
      .split(/[,;]/)
      .map((address) => address.trim())
      .filter(Boolean)
      .map((address) => ({ address, line: index + 1 })),
  );
}

/** A FormError on each list holding something that is not an address, an address twice
 * (ignoring case, as the API does), or too many. */
function check(wanted) {
  const fieldErrors = [];
  for (const [event, list] of Object.entries(wanted)) {
    const message = listProblem(list);
    if (message) fieldErrors.push({ field: event, message });
  }
  if (fieldErrors.length > 0) throw new FormError("Check the lists marked below.", fieldErrors);
}

function listProblem(list) {
  const wrong = list.find((entry) => !emailAddress(entry.address));
  if (wrong) return `Line ${wrong.line}: "${wrong.address}" is not an e-mail address.`;
  const first = new Map();
  for (const entry of list) {
    const key = entry.address.toLowerCase();
    const earlier = first.get(key);
    if (earlier?.line === entry.line) return `Line ${entry.line} holds "${entry.address}" twice.`;
    if (earlier) return `Line ${entry.line} repeats line ${earlier.line}.`;
    first.set(key, entry);
  }
  return list.length > MAX_ADDRESSES ? `Use at most ${MAX_ADDRESSES} addresses.` : null;
}

/** The API's refusal (`<event>.<index>`) marked on the event's list, naming the address's
 * line. */
function refusal(error, sent) {
  return {
    message: error.message,
    fieldErrors: error.fieldErrors.map(({ field }) => {
      const [event, index] = field.split(".");
      const entry = sent[event]?.[Number(index)];
      return { field: event, message: entry ? `Line ${entry.line} was refused.` : "The shop refused this list." };
    }),
  };
}
