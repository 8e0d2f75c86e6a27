// The config vault (viewer, editor, admin): the account's CloudFront distributions, each one's
// configuration in the console's tabs, its versions, a Compare of two of them side by side, and
// (editor, admin) Roll back, Copy to... and Create from a version, each confirmed after showing
// what it changes and sent with the ETag seen, so that a change made meanwhile is never
// overwritten.

import { ApiError } from "../api.js";
import { whileBusy } from "../busy.js";
import { confirmAction, openDialog } from "../dialog.js";
import { breakable, h, replaceChildren, uniqueId } from "../dom.js";
import { capitalize } from "../format.js";
import { MAX_PAGE_SIZE } from "../limits.js";
import { createPagedTable } from "../list.js";
import { SessionExpiredError } from "../session.js";
import { closeButton, createNotice, keepInAddress, pageHeader, rowButton, timeCell } from "./common.js";

const SEARCH_DELAY_MS = 300;
const STATES = ["active", "deleted"];
const TABS = ["General", "Origins", "Behaviors", "Error pages", "Aliases and certificate", "Functions", "Tags", "Versions"];

/** Whether `user` may change distributions (the API refuses a viewer anyway). */
const canEdit = (user) => user?.vaultRole === "admin" || user?.vaultRole === "editor";

export function distributionsView({ api, params, signal }) {
  let state = STATES.includes(params.get("state")) ? params.get("state") : "active";
  let search = params.get("q") || "";
  const table = createPagedTable({
    caption: "Distributions",
    columns: [
      { label: "ID", cell: (d) => h("a", { href: `#/distribution?id=${encodeURIComponent(d.distribution_id)}` }, d.distribution_id), word: true },
      { label: "Domain", cell: (d) => h("code", {}, d.domain_name) },
      { label: "Aliases", cell: (d) => d.aliases.join(", ") || "None" },
      { label: "Description", cell: (d) => d.comment || "" },
      { label: "Status", cell: (d) => statusText(d), word: true },
      { label: "Version", cell: (d) => String(d.current_version), numeric: true },
      { label: state === "deleted" ? "Deleted" : "Changed", cell: (d) => timeCell(d.deleted_at || d.updated_at) },
    ],
    // The API lists by id; the search narrows each page to the distributions it names.
    loadPage: async (page) => {
      const listed = await api.listDistributions({ ...page, state });
      return { ...listed, items: listed.items.filter((d) => matches(d, search)) };
    },
    emptyText: () => (search ? "No distribution on this page matches the search." : `No ${state} distributions.`),
    signal,
  });

  function filtered() {
    const query = new URLSearchParams();
    if (state !== "active") query.set("state", state);
    if (search) query.set("q", search);
    keepInAddress(query.size > 0 ? `#/distributions?${query}` : "#/distributions");
    table.restart();
  }

  const stateId = uniqueId("state");
  const searchId = uniqueId("search");
  let timer = null;
  const searchInput = h("input", {
    id: searchId,
    type: "search",
    value: search,
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "ID, domain, alias or description",
    oninput: () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        search = searchInput.value.trim();
        filtered();
      }, SEARCH_DELAY_MS);
    },
  });
  const stateSelect = h(
    "select",
    {
      id: stateId,
      onchange: (event) => {
        state = event.target.value;
        filtered();
      },
    },
    STATES.map((value) => h("option", { value, selected: value === state }, capitalize(value))),
  );
  table.restart();
  return h(
    "section",
    { class: "vault" },
    pageHeader("Distributions"),
    h(
      "div",
      { class: "list-tools" },
      h("div", { class: "filter" }, h("label", { for: searchId }, "Search"), searchInput),
      h("div", { class: "filter" }, h("label", { for: stateId }, "Show"), stateSelect),
    ),
    table.element,
  );
}

function matches(distribution, search) {
  const needle = search.toLowerCase();
  const haystack = [distribution.distribution_id, distribution.domain_name, distribution.comment, ...distribution.aliases];
  return !needle || haystack.some((text) => (text || "").toLowerCase().includes(needle));
}

function statusText(distribution) {
  if (distribution.state === "deleted") return "Deleted";
  return `${distribution.enabled ? "Enabled" : "Disabled"}, ${distribution.status}`;
}

export function distributionView({ api, params, signal, user, navigate }) {
  const distributionId = params.get("id") || "";
  const tab = TABS.find((name) => tabSlug(name) === params.get("tab")) || TABS[0];
  const notice = createNotice();
  const body = h("div", { class: "list-state", role: "status" }, "Loading the distribution…");
  const element = h("section", { class: "vault" }, pageHeader(distributionId), notice.element, body);
  api.getDistribution(distributionId, { signal }).then(
    (detail) => {
      body.className = "";
      body.removeAttribute("role");
      replaceChildren(body, tabs(detail, tab, { api, signal, user, navigate, notice }));
    },
    (error) => {
      if (error instanceof SessionExpiredError || signal.aborted) return;
      body.className = "notice notice--error";
      body.textContent = error.message;
    },
  );
  return element;
}

function tabSlug(name) {
  return name.toLowerCase().replaceAll(" ", "-");
}

/** The console's tabs: a tablist whose arrow keys move between tabs (Home and End to the
 * first and last), one panel shown, each drawn when first shown. */
function tabs(detail, selected, context) {
  const id = detail.distribution.distribution_id;
  const buttons = [];
  const panels = [];
  let shown = null;
  /** After an action (from Versions, which updates itself): the distribution as it now is,
   * which every other panel is drawn with again, the one shown at once. */
  async function changed() {
    detail = await context.api.getDistribution(id, { signal: context.signal });
    for (const [index, panel] of panels.entries()) if (TABS[index] !== "Versions") panel.replaceChildren();
    select(shown, false);
    return detail;
  }
  const panelContext = { ...context, changed };
  function select(index, focus) {
    shown = index;
    buttons.forEach((button, i) => {
      button.setAttribute("aria-selected", String(i === index));
      button.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
    if (!panels[index].firstChild) panels[index].append(PANELS[TABS[index]](detail, panelContext));
    keepInAddress(`#/distribution?id=${encodeURIComponent(id)}&tab=${tabSlug(TABS[index])}`);
    if (focus) buttons[index].focus();
    // On a phone the list scrolls sideways: the tab selected is brought into it (the one the
    // address names once the page is drawn).
    const reveal = () => buttons[index].scrollIntoView({ block: "nearest", inline: "nearest" });
    if (buttons[index].isConnected) reveal();
    else requestAnimationFrame(reveal);
  }
  TABS.forEach((name, index) => {
    const tabId = uniqueId("tab");
    const panelId = uniqueId("panel");
    buttons.push(
      h(
        "button",
        {
          type: "button",
          role: "tab",
          id: tabId,
          class: "tabs__tab",
          "aria-controls": panelId,
          onclick: () => select(index, false),
          onkeydown: (event) => {
            const target = {
              ArrowRight: (index + 1) % TABS.length,
              ArrowLeft: (index - 1 + TABS.length) % TABS.length,
              Home: 0,
              End: TABS.length - 1,
            }[event.key];
            if (target === undefined) return;
            event.preventDefault();
            select(target, true);
          },
        },
        name,
      ),
    );
    panels.push(h("div", { role: "tabpanel", id: panelId, "aria-labelledby": tabId, class: "tabs__panel", hidden: true }));
  });
  const element = h("div", { class: "tabs" }, h("div", { role: "tablist", class: "tabs__list", "aria-label": "Distribution" }, buttons), panels);
  select(TABS.indexOf(selected), false);
  return element;
}

const items = (list) => list?.Items || [];

function facts(rows) {
  return h(
    "dl",
    { class: "facts" },
    rows.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value === undefined || value === "" ? "None" : String(value))]),
  );
}

function simpleTable(caption, headings, rows, emptyText) {
  if (rows.length === 0) return h("p", {}, emptyText);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table" },
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, headings.map((heading) => h("th", { scope: "col" }, heading)))),
      h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell, i) => h("td", { "data-label": headings[i] }, cell ?? ""))))),
    ),
  );
}

/** The default behavior then the others, in precedence order. */
function behaviors(config) {
  return [{ ...config.DefaultCacheBehavior, PathPattern: "Default (*)" }, ...items(config.CacheBehaviors)];
}

const PANELS = {
  General: ({ distribution: d, config }) =>
    facts([
      ["Domain name", d.domain_name],
      ["Description", d.comment],
      ["State", statusText(d)],
      ["Price class", config.PriceClass],
      ["HTTP versions", config.HttpVersion],
      ["IPv6", config.IsIPV6Enabled ? "On" : "Off"],
      ["Default root object", config.DefaultRootObject],
      ["Web ACL", config.WebACLId],
      ["CloudFormation stack", d.stack || "None"],
      ["Current version", d.current_version],
      ["ETag", d.etag],
    ]),
  Origins: ({ config }) =>
    simpleTable(
      "Origins",
      ["ID", "Domain", "Path", "Type", "Origin access control"],
      items(config.Origins).map((o) => [o.Id, o.DomainName, o.OriginPath || "", o.S3OriginConfig ? "S3" : "Custom", o.OriginAccessControlId || "None"]),
      "No origins.",
    ),
  Behaviors: ({ config }) =>
    simpleTable(
      "Behaviors",
      ["Precedence", "Path pattern", "Origin", "Viewer protocol", "Cache policy"],
      behaviors(config).map((b, index) => [String(index), b.PathPattern, b.TargetOriginId, b.ViewerProtocolPolicy, b.CachePolicyId || "Legacy settings"]),
      "No behaviors.",
    ),
  "Error pages": ({ config }) =>
    simpleTable(
      "Error pages",
      ["HTTP code", "Response page", "Response code", "Cache seconds"],
      items(config.CustomErrorResponses).map((e) => [String(e.ErrorCode), e.ResponsePagePath || "", e.ResponseCode || "", String(e.ErrorCachingMinTTL ?? "")]),
      "No custom error pages.",
    ),
  "Aliases and certificate": ({ config }) => {
    const certificate = config.ViewerCertificate || {};
    return facts([
      ["Alternate domain names", items(config.Aliases).join(", ")],
      ["Certificate", certificate.ACMCertificateArn || certificate.IAMCertificateId || (certificate.CloudFrontDefaultCertificate ? "CloudFront's default" : "")],
      ["Security policy", certificate.MinimumProtocolVersion],
      ["SSL support", certificate.SSLSupportMethod],
    ]);
  },
  Functions: ({ config }) =>
    simpleTable(
      "Functions",
      ["Behavior", "Event", "Type", "Function"],
      behaviors(config).flatMap((b) => [
        ...items(b.FunctionAssociations).map((f) => [b.PathPattern, f.EventType, "CloudFront function", f.FunctionARN]),
        ...items(b.LambdaFunctionAssociations).map((f) => [b.PathPattern, f.EventType, "Lambda@Edge", f.LambdaFunctionARN]),
      ]),
      "No functions are associated.",
    ),
  Tags: ({ tags }) =>
    simpleTable(
      "Tags",
      ["Key", "Value"],
      Object.entries(tags).map(([key, value]) => [key, value]),
      "No tags.",
    ),
  Versions: versionsPanel,
};

function versionsPanel(detail, { api, signal, user, navigate, notice, changed }) {
  let d = detail.distribution;
  const editor = canEdit(user) && d.state === "active";
  const comparison = h("div", { class: "comparison" });
  let compared = null; // the version the comparison shown is of
  const table = createPagedTable({
    caption: "Versions",
    columns: [
      { label: "Version", cell: (v) => String(v.version), numeric: true },
      { label: "When", cell: (v) => timeCell(v.at) },
      { label: "Who", cell: (v) => breakable(v.who || "Unknown") },
      { label: "Source", cell: (v) => sourceText(v), word: true },
      { label: "Note", cell: (v) => breakable(v.note) },
      { label: "Actions", cell: (v) => h("div", { class: "row-actions" }, actionsFor(v)) },
    ],
    loadPage: (page) => api.listVersions(d.distribution_id, page),
    emptyText: () => "No versions yet.",
    signal,
  });

  function actionsFor(version) {
    const current = version.version === d.current_version && d.state === "active";
    const label = (verb) => `${verb} version ${version.version}`;
    return [
      rowButton("Compare", label("Compare"), () => showComparison(version.version)),
      editor && !current ? rowButton("Roll back", label("Roll back to"), (event) => act(event.currentTarget, () => rollback(version))) : null,
      editor ? rowButton("Copy to...", label("Copy"), (event) => act(event.currentTarget, () => copy(version))) : null,
      canEdit(user) ? rowButton("Create from this version", label("Create a distribution from"), (event) => act(event.currentTarget, () => create(version))) : null,
    ];
  }

  /** Version `from` beside another (the current configuration unless chosen, or `to`). */
  async function showComparison(from, { to, focus = true } = {}) {
    compared = from;
    const versions = (await api.listVersions(d.distribution_id, { limit: MAX_PAGE_SIZE, signal })).items;
    const toId = uniqueId("compare-to");
    const toSelect = h(
      "select",
      { id: toId, onchange: () => draw() },
      d.state === "active" ? h("option", { value: "current" }, "Current configuration") : null,
      versions
        .filter((v) => v.version !== from)
        .map((v) => h("option", { value: String(v.version), selected: String(v.version) === to }, `Version ${v.version}`)),
    );
    const result = h("div", { role: "status" }, "Comparing…");
    async function draw() {
      if (!toSelect.value) {
        replaceChildren(result, h("p", {}, "This is the only version: there is nothing to compare it with."));
        return;
      }
      try {
        const diff = await api.diffVersions(d.distribution_id, from, toSelect.value, { signal });
        const toLabel = toSelect.value === "current" ? "Current configuration" : `Version ${toSelect.value}`;
        replaceChildren(result, sideBySide(diff.before, diff.after, `Version ${from}`, toLabel));
      } catch (error) {
        if (!(error instanceof SessionExpiredError)) replaceChildren(result, h("p", { class: "notice notice--error" }, error.message));
      }
    }
    replaceChildren(
      comparison,
      h("h2", { tabindex: "-1" }, `Compare version ${from}`),
      h("div", { class: "filter" }, h("label", { for: toId }, "With"), toSelect),
      result,
    );
    await draw();
    if (focus) comparison.querySelector("h2").focus();
  }

  /** Runs an action from a row: its outcome goes to the notice, the page shows afresh. */
  async function act(button, action) {
    try {
      await whileBusy(button, async () => {
        const message = await action();
        if (!message) return;
        notice.show(message);
        // The next action is sent with the ETag and current version this one left, and every
        // panel, the versions and an open comparison show the distribution as it now is.
        d = (await changed()).distribution;
        const to = comparison.querySelector("select")?.value;
        await Promise.all([table.reload(), compared && showComparison(compared, { to, focus: false })]);
        notice.element.focus();
      });
    } catch (error) {
      if (error instanceof SessionExpiredError) return;
      notice.show(refusal(error, () => navigate(`/distribution?id=${encodeURIComponent(d.distribution_id)}&tab=versions`)), "error");
      notice.element.focus();
    }
  }

  async function rollback(version) {
    const diff = await api.diffVersions(d.distribution_id, version.version, "current", { signal });
    const confirmed = await confirmChange({
      title: `Roll back to version ${version.version}?`,
      intro: `${d.distribution_id} gets version ${version.version}'s configuration back.`,
      table: sideBySide(diff.after, diff.before, "Current configuration", `Version ${version.version}`),
      stack: d.stack,
      confirmLabel: "Roll back",
    });
    if (!confirmed) return null;
    const applied = await api.rollback(d.distribution_id, { version: version.version, expectedEtag: d.etag, acknowledgeDrift: confirmed.drift });
    if (!applied.created) return `Nothing to roll back: version ${applied.version.version} is version ${version.version}'s configuration already.`;
    return `Rolled back: version ${applied.version.version} is version ${version.version}'s configuration.`;
  }

  async function copy(version) {
    const targets = (await api.listDistributions({ state: "active", limit: MAX_PAGE_SIZE, signal })).items.filter(
      (t) => t.distribution_id !== d.distribution_id,
    );
    const target = await chooseTarget(targets);
    if (!target) return null;
    // This version beside the target's configuration as it is now (both normalized by the API).
    const [source, current] = await Promise.all([
      api.diffVersions(d.distribution_id, version.version, "current", { signal }),
      api.diffVersions(target.distribution_id, target.current_version, "current", { signal }),
    ]);
    const confirmed = await confirmChange({
      title: `Copy version ${version.version} to ${target.distribution_id}?`,
      intro: `${target.distribution_id} keeps its own aliases, certificate and web ACL.`,
      table: sideBySide(current.after, keptByTarget(source.before, current.after), `${target.distribution_id} now`, `Version ${version.version}`),
      stack: target.stack,
      confirmLabel: "Copy",
    });
    if (!confirmed) return null;
    const applied = await api.copyVersion(d.distribution_id, version.version, {
      targetId: target.distribution_id,
      expectedEtag: target.etag,
      acknowledgeDrift: confirmed.drift,
    });
    if (!applied.created) return `Nothing to copy: ${target.distribution_id} has this configuration already (its version ${applied.version.version}).`;
    return `Copied: ${target.distribution_id} is at its version ${applied.version.version}.`;
  }

  async function create(version) {
    const confirmed = await confirmAction({
      title: `Create a distribution from version ${version.version}?`,
      message: "A new distribution gets this configuration; aliases that another distribution holds are left out.",
      confirmLabel: "Create",
      cancelLabel: "Keep as it is",
    });
    if (!confirmed) return null;
    const created = await api.createFromVersion(d.distribution_id, version.version);
    const leftOut = created.aliases_left_out.length > 0 ? ` Left out (held by another distribution): ${created.aliases_left_out.join(", ")}.` : "";
    notice.show(
      h(
        "p",
        {},
        "Created ",
        h("a", { href: `#/distribution?id=${encodeURIComponent(created.distribution_id)}` }, created.distribution_id),
        ` (${created.domain_name}).${leftOut}`,
      ),
    );
    notice.element.focus();
    return null;
  }

  table.restart();
  return h(
    "div",
    {},
    editor ? h("div", { class: "page-header__actions" }, h("button", { type: "button", class: "button", onclick: (event) => act(event.currentTarget, capture) }, "Capture now")) : null,
    table.element,
    comparison,
  );

  async function capture() {
    const captured = await api.captureVersion(d.distribution_id, "");
    return captured.created ? `Recorded version ${captured.version.version}.` : "Nothing changed since the latest version.";
  }
}

// What a copy leaves as the target has it (vault.logic.KEPT_ON_COPY): the page shows the rest.
const KEPT_BY_TARGET = ["CallerReference", "Aliases", "ViewerCertificate", "WebACLId", "ContinuousDeploymentPolicyId", "Staging"];

/** `version` as the copy puts it on a target whose configuration is `target`. */
function keptByTarget(version, target) {
  const copied = { ...version };
  for (const field of KEPT_BY_TARGET) {
    if (field in target) copied[field] = target[field];
    else delete copied[field];
  }
  return copied;
}

function sourceText(version) {
  const source = capitalize(version.source.replace("-", " "));
  return version.rolled_back_from ? `${source} from version ${version.rolled_back_from}` : source;
}

/** Asks to confirm a change after showing it; a stack's distribution also asks to accept the
 * drift. Resolves `{drift}` when confirmed, null otherwise. */
function confirmChange({ title, intro, table, stack, confirmLabel }) {
  return new Promise((resolve) => {
    let answer = null;
    openDialog({
      title,
      onClose: () => resolve(answer),
      body: (close) => {
        const driftId = uniqueId("drift");
        const drift = stack ? h("input", { type: "checkbox", id: driftId, required: true }) : null;
        const confirm = h(
          "button",
          {
            type: "button",
            class: "button button--primary",
            disabled: Boolean(stack),
            onclick: () => {
              answer = { drift: Boolean(drift?.checked) };
              close();
            },
          },
          confirmLabel,
        );
        if (drift) drift.addEventListener("change", () => (confirm.disabled = !drift.checked));
        // First focus on the safe choice, as every confirmation has it (not the diff's toggle).
        const keep = closeButton(close, "Keep as it is");
        keep.autofocus = true;
        return h(
          "div",
          { class: "dialog--wide" },
          h("p", {}, intro),
          table,
          stack
            ? h(
                "div",
                { class: "notice notice--warning" },
                h("p", {}, `This distribution belongs to the CloudFormation stack ${stack}: the change is drift that the stack's next deploy reverts.`),
                h("label", { for: driftId }, drift, " I understand: change it anyway"),
              )
            : null,
          h("div", { class: "form-actions" }, confirm, keep),
        );
      },
    });
  });
}

/** What a refused change means, in the page's words: the fields the API names are data. */
function refusal(error, reload) {
  if (!(error instanceof ApiError)) throw error;
  const changed = error.fieldErrors.filter((e) => e.field.startsWith("config")).map((e) => e.field.replace(/^config\.?/, ""));
  if (error.status === 409 && error.fieldErrors.some((e) => e.field === "expected_etag")) {
    return h(
      "div",
      {},
      h("p", {}, "The distribution changed since you looked at it, so nothing was changed."),
      changed.length > 0 ? h("p", {}, "What changed:") : null,
      changed.length > 0 ? h("ul", {}, changed.map((path) => h("li", {}, h("code", {}, path)))) : null,
      h("button", { type: "button", class: "button", onclick: reload }, "Reload"),
    );
  }
  if (error.status === 409 && error.fieldErrors.some((e) => e.field === "acknowledge_drift")) {
    return h("p", {}, "This distribution belongs to a CloudFormation stack: change it again and accept the drift.");
  }
  if (error.status === 422 && changed.length > 0) {
    return h(
      "div",
      {},
      h("p", {}, "The configuration refers to resources that no longer exist:"),
      h("ul", {}, changed.map((path) => h("li", {}, h("code", {}, path)))),
    );
  }
  return h("p", {}, error.message);
}

/** Chooses the distribution to copy onto. */
function chooseTarget(targets) {
  return new Promise((resolve) => {
    let chosen = null;
    openDialog({
      title: "Copy to which distribution?",
      onClose: () => resolve(chosen),
      body: (close) => {
        if (targets.length === 0) return h("div", {}, h("p", {}, "There is no other active distribution."), closeButton(close, "Close"));
        const id = uniqueId("target");
        const select = h(
          "select",
          { id },
          targets.map((t, index) => h("option", { value: String(index) }, `${t.distribution_id} (${t.comment || t.domain_name})`)),
        );
        return h(
          "div",
          {},
          h("div", { class: "field" }, h("label", { for: id }, "Distribution"), select),
          h(
            "div",
            { class: "form-actions" },
            h("button", { type: "button", class: "button button--primary", onclick: () => ((chosen = targets[Number(select.value)]), close()) }, "Next"),
            closeButton(close),
          ),
        );
      },
    });
  });
}

/** Every leaf of `value` by its JSON Pointer (RFC 6901), in document order. */
function leaves(value, pointer = "", into = new Map()) {
  if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) leaves(child, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`, into);
  } else {
    into.set(pointer, JSON.stringify(value));
  }
  return into;
}

/** Two configurations side by side, one row per field, the changed ones marked; only the
 * changes unless the reader asks for every field. */
function sideBySide(left, right, leftLabel, rightLabel) {
  const before = leaves(left);
  const after = leaves(right);
  const pointers = [...new Set([...before.keys(), ...after.keys()])];
  const changes = pointers.filter((p) => before.get(p) !== after.get(p)).length;
  const rows = pointers.map((pointer) => {
    const [was, is] = [before.get(pointer), after.get(pointer)];
    const kind = was === is ? "same" : was === undefined ? "added" : is === undefined ? "removed" : "changed";
    return h(
      "tr",
      { class: `diff__row diff__row--${kind}`, hidden: kind === "same" },
      h("th", { scope: "row" }, h("code", {}, pointer)),
      h("td", { "data-label": leftLabel }, was === undefined ? "" : h("code", {}, was)),
      h("td", { "data-label": rightLabel }, is === undefined ? "" : h("code", {}, is)),
    );
  });
  const toggleId = uniqueId("all-fields");
  const toggle = h("input", {
    type: "checkbox",
    id: toggleId,
    onchange: () => {
      for (const row of rows) if (row.classList.contains("diff__row--same")) row.hidden = !toggle.checked;
    },
  });
  return h(
    "div",
    { class: "diff" },
    h("p", { class: "diff__summary" }, changes === 0 ? "No differences." : `${changes} ${changes === 1 ? "field differs" : "fields differ"}.`),
    h("label", { class: "diff__toggle", for: toggleId }, toggle, " Show every field"),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "table diff__table" },
        h("caption", { class: "visually-hidden" }, `${leftLabel} beside ${rightLabel}`),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, leftLabel), h("th", { scope: "col" }, rightLabel))),
        h("tbody", {}, rows),
      ),
    ),
  );
}
