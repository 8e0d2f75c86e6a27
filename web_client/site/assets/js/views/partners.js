// Partners (admin): the machines that read the catalogue and ask for quotes with an API key.
// The admin creates a partner and copies its key (shown once), sees each partner's requests,
// moves it to another tier, disables or enables it, and revokes it.

import { confirmAction, openDialog } from "../dialog.js";
import { h } from "../dom.js";
import { capitalize } from "../format.js";
import { createForm, filled, FormError, validate } from "../forms.js";
import { createPagedTable } from "../list.js";
import { characters, MAX_PARTNER_NAME_LENGTH as MAX_NAME_LENGTH, PARTNER_TIERS } from "../limits.js";
import { closeButton, createNotice, outcomeReporter, pageHeader, rowButton, timeCell } from "./common.js";

const TIERS = Object.entries(PARTNER_TIERS).map(([tier, { rate, daily }]) => ({
  value: tier,
  label: `${capitalize(tier)}: ${rate.toLocaleString()} requests/s, ${daily.toLocaleString()} a day`,
}));
const PARTNER_RULES = {
  name: [
    [filled, "Enter the partner's name."],
    [(name) => characters(name) <= MAX_NAME_LENGTH, `Use at most ${MAX_NAME_LENGTH} characters.`],
  ],
};

export function partnersView({ api, signal }) {
  const notice = createNotice();
  const table = createPagedTable({
    caption: "Partners",
    columns: [
      { label: "Name", cell: (partner) => h("span", {}, partner.name, " ", h("code", {}, partner.partner_id)) },
      { label: "Tier", cell: (partner) => capitalize(partner.tier), word: true },
      { label: "Key", cell: (partner) => (partner.enabled ? "Enabled" : "Disabled"), word: true },
      { label: "Today on this tier", cell: (partner) => String(partner.requests_today), numeric: true },
      { label: "This week on this tier", cell: (partner) => String(partner.requests_this_week), numeric: true },
      { label: "Created", cell: (partner) => timeCell(partner.created_at) },
      { label: "Actions", cell: (partner) => h("div", { class: "row-actions" }, actionsFor(partner)) },
    ],
    loadPage: (page) => api.listPartners(page),
    emptyText: () => "No partners yet: add the first one.",
    signal,
  });
  const { run } = outcomeReporter(notice, table);

  function actionsFor(partner) {
    const otherTier = partner.tier === "basic" ? "pro" : "basic";
    return [
      rowButton(`Move to ${capitalize(otherTier)}`, `Move ${named(partner)} to ${otherTier}`, (event) =>
        run(event.currentTarget, async () => {
          await api.changePartner(partner.partner_id, { tier: otherTier });
          return `${partner.name} is now on the ${otherTier} tier.`;
        }),
      ),
      rowButton(partner.enabled ? "Disable" : "Enable", `${partner.enabled ? "Disable" : "Enable"} ${named(partner)}`, (event) =>
        run(event.currentTarget, async () => {
          await api.changePartner(partner.partner_id, { enabled: !partner.enabled });
          return `${partner.name}'s key is ${partner.enabled ? "disabled" : "enabled again"}.`;
        }),
      ),
      rowButton("Revoke", `Revoke ${named(partner)}`, (event) => revoke(partner, event.currentTarget), "button--danger"),
    ];
  }

  function addPartner() {
    // A name another partner has is warned about once; the same name submitted again is added.
    let warnedName = null;
    async function warnOfNamesake(name) {
      // Read afresh, not from the table: it may still be loading, or another admin added one.
      const { items: partners } = await api.listPartners();
      const namesake = partners.find((partner) => sameName(partner.name, name));
      if (namesake) {
        warnedName = name;
        throw new FormError("Another partner has this name: press Create key again to add this one all the same.", [
          { field: "name", message: `${namesake.name} is a partner already (key ${namesake.partner_id}): partners of one name are told apart by their key's id only.` },
        ]);
      }
    }
    openDialog({
      title: "Add a partner",
      body: (close) =>
        createForm({
          fields: [
            { name: "name", label: "Name", maxlength: String(MAX_NAME_LENGTH), autocomplete: "off" },
            { name: "tier", label: "Tier", value: "basic", options: TIERS },
          ],
          submitLabel: "Create key",
          busyLabel: "Creating…",
          extra: closeButton(close),
          onSubmit: async (values) => {
            validate(values, PARTNER_RULES);
            if (warnedName === null || !sameName(warnedName, values.name)) {
              await warnOfNamesake(values.name);
            }
            const partner = await api.createPartner(values);
            close();
            showKey(partner);
            // The list behind the key's dialog shows the new partner at once.
            notice.show(`Added ${partner.name} on the ${partner.tier} tier.`);
            await table.reload();
          },
        }).form,
    });
  }

  /** The key's value, this once: the API never shows it again. */
  function showKey(partner) {
    const status = h("p", { class: "field__hint", role: "status" });
    const key = h("input", {
      id: "new-api-key",
      class: "api-key",
      readonly: true,
      value: partner.api_key,
      "aria-describedby": "new-api-key-hint",
      spellcheck: "false",
    });
    const copy = async () => {
      key.select();
      try {
        await navigator.clipboard.writeText(partner.api_key);
        status.textContent = "Copied.";
      } catch {
        status.textContent = "Copy it from the field (the browser refused to copy).";
      }
    };
    openDialog({
      title: `${partner.name}'s API key`,
      onClose: () => notice.element.focus(),
      // Escape would lose the key, never shown again: only "I have copied it" closes.
      onCancel: (event) => {
        event.preventDefault();
        status.textContent = "The key is not shown again: copy it, then press I have copied it.";
      },
      body: (close) =>
        h(
          "div",
          {},
          h(
            "p",
            { id: "new-api-key-hint" },
            "Copy this key now and give it to the partner: it is not shown again. Their requests send it in the x-api-key header.",
          ),
          h("label", { for: "new-api-key" }, "API key"),
          key,
          status,
          h(
            "div",
            { class: "form-actions" },
            h("button", { type: "button", class: "button button--primary", onclick: copy }, "Copy key"),
            h("button", { type: "button", class: "button", onclick: close }, "I have copied it"),
          ),
        ),
    });
  }

  async function revoke(partner, trigger) {
    const confirmed = await confirmAction({
      title: `Revoke ${named(partner)}?`,
      message: "Its requests are refused from now on. A new key means adding the partner again.",
      confirmLabel: "Revoke key",
      cancelLabel: "Keep it",
      danger: true,
    });
    if (confirmed) {
      await run(trigger, async () => {
        await api.revokePartner(partner.partner_id);
        return `Revoked ${partner.name}'s key.`;
      });
    }
  }

  const addButton = h("button", { type: "button", class: "button button--primary", onclick: addPartner }, "Add partner");
  table.restart();
  // API Gateway counts requests per usage plan, and each tier is one: the counts are the tier's.
  const usageHint = h(
    "p",
    { class: "lead" },
    "Requests are counted on each tier apart: a partner moved to another tier starts today's and this week's counts at 0 there.",
  );
  return h("section", { class: "partners" }, pageHeader("Partners", addButton), usageHint, notice.element, table.element);
}

/** A partner as a button or a dialog names it: partners may share a name, never a key id. */
function named(partner) {
  return `${partner.name} (key ${partner.partner_id})`;
}

function sameName(one, other) {
  return one.normalize("NFC").toLocaleLowerCase() === other.normalize("NFC").toLocaleLowerCase();
}
