// The vault's audit trail (viewer, editor, admin): who changed what through the vault, when,
// and the outcome, newest first; one distribution's alone when its id is entered. An entry
// still `pending` is a change whose outcome was never written (its function stopped between
// the change and the entry's update).

import { breakable, h, uniqueId } from "../dom.js";
import { capitalize } from "../format.js";
import { DISTRIBUTION_ID_PATTERN } from "../limits.js";
import { createPagedTable } from "../list.js";
import { keepInAddress, pageHeader, timeCell } from "./common.js";

// CloudFront's distribution ids, as the API checks them.
const DISTRIBUTION_ID = new RegExp(DISTRIBUTION_ID_PATTERN);

export function vaultAuditView({ api, params, signal }) {
  let distributionId = DISTRIBUTION_ID.test(params.get("id") || "") ? params.get("id") : "";
  const table = createPagedTable({
    caption: "Audit trail",
    columns: [
      { label: "When", cell: (entry) => timeCell(entry.at) },
      { label: "Who", cell: (entry) => breakable(entry.who) },
      { label: "Action", cell: (entry) => capitalize(entry.action), word: true },
      { label: "Distribution", cell: (entry) => distributionLink(entry.distribution_id), word: true },
      { label: "Detail", cell: (entry) => entry.detail },
      { label: "Outcome", cell: (entry) => outcomeCell(entry), word: true },
      { label: "Result", cell: (entry) => entry.result || entry.reason || "" },
    ],
    loadPage: (page) => api.listAudit({ ...page, distributionId }),
    emptyText: () => (distributionId ? `No change to ${distributionId} was made through the vault.` : "No change was made through the vault yet."),
    signal,
  });

  const filterId = uniqueId("audit-distribution");
  const errorId = `${filterId}-error`;
  const error = h("p", { id: errorId, class: "field__error", hidden: true });
  const input = h("input", {
    id: filterId,
    type: "search",
    value: distributionId,
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "E1ABCDEF23GHIJ",
    "aria-describedby": errorId,
  });
  const form = h(
    "form",
    {
      class: "list-tools",
      role: "search",
      onsubmit: (event) => {
        event.preventDefault();
        const wanted = input.value.trim().toUpperCase();
        const valid = wanted === "" || DISTRIBUTION_ID.test(wanted);
        error.hidden = valid;
        error.textContent = valid ? "" : "A distribution's id has only letters and digits (up to 32).";
        input.setAttribute("aria-invalid", String(!valid));
        if (!valid) {
          table.clear();
          return input.focus();
        }
        distributionId = wanted;
        keepInAddress(wanted ? `#/vault-audit?id=${encodeURIComponent(wanted)}` : "#/vault-audit");
        table.restart();
      },
    },
    h(
      "div",
      { class: "filter" },
      h("label", { for: filterId }, "Distribution"),
      input,
      error,
    ),
    h("button", { type: "submit", class: "button" }, "Show"),
  );
  table.restart();
  return h("section", { class: "vault" }, pageHeader("Audit"), form, table.element);
}

function distributionLink(distributionId) {
  if (!distributionId) return "";
  return h("a", { href: `#/distribution?id=${encodeURIComponent(distributionId)}` }, distributionId);
}

function outcomeCell(entry) {
  return h("span", { class: `outcome outcome--${entry.outcome}` }, capitalize(entry.outcome));
}
