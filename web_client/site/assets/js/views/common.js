// Pieces every page uses: its heading and a message area for the outcome of actions.

import { whileBusy } from "../busy.js";
import { h, replaceChildren } from "../dom.js";
import { formatDateTime } from "../format.js";
import { SessionExpiredError } from "../session.js";

/** The page's <h1> (focused after navigation) with optional actions beside it. */
export function pageHeader(title, ...actions) {
  return h(
    "div",
    { class: "page-header" },
    h("h1", { tabindex: "-1" }, title),
    actions.length > 0 ? h("div", { class: "page-header__actions" }, actions) : null,
  );
}

/** A polite live region: `show(message, kind)` with kind "success" or "error". */
export function createNotice() {
  const element = h("div", { class: "notice", role: "status", tabindex: "-1", hidden: true });
  return {
    element,
    show(content, kind = "success") {
      replaceChildren(element, content);
      element.className = `notice notice--${kind}`;
      element.hidden = false;
    },
    clear() {
      element.hidden = true;
      element.replaceChildren();
    },
  };
}

/** A <time> element showing a timestamp in the reader's locale. */
export function timeCell(isoTimestamp) {
  return h("time", { datetime: isoTimestamp }, formatDateTime(isoTimestamp));
}

export function closeButton(close, label = "Cancel") {
  return h("button", { type: "button", class: "button", onclick: close }, label);
}

/** A small button in a table row; `label` names its item for screen readers. */
export function rowButton(text, label, onclick, style = "") {
  return h("button", { type: "button", class: `button button--small ${style}`, "aria-label": label, onclick }, text);
}

/**
 * Reports the outcome of an action on a table: the message goes to `notice`, the table shows
 * its page again as it now is, and focus moves to the message. `run(button, action)` also keeps
 * the button busy while `action` (resolving to the message) runs and reports its error instead.
 */
/**
 * The page's state written into the address (`#/<route>?...`), while the address is still this
 * page's: a followed link sets the hash before the hashchange shows the next page, and a late
 * answer or timer of this page must not take the address back meanwhile (the next page shown
 * would be this one again). `newEntry`: a step the Back button returns from (a page of a list
 * turned), not the same view refined (a filter typed, a tab chosen).
 */
export function keepInAddress(address, { newEntry = false } = {}) {
  const route = (hash) => hash.split("?")[0];
  if (route(location.hash) !== route(address) || location.hash === address) return;
  if (newEntry) history.pushState(null, "", address);
  else history.replaceState(null, "", address);
}

export function outcomeReporter(notice, table) {
  async function report(content, kind = "success") {
    notice.show(content, kind);
    await table.reload();
    notice.element.focus();
  }
  async function run(button, action) {
    await whileBusy(button, async () => {
      let message;
      try {
        message = await action();
      } catch (error) {
        if (error instanceof SessionExpiredError) return;
        await report(error.message, "error");
        return;
      }
      await report(message);
    });
  }
  return { report, run };
}
