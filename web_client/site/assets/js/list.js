// A paginated table fed by an API listing (`X-Next-Cursor`), with loading and error states.
// On a narrow screen each row becomes a card whose cells carry their column's name.

import { h, replaceChildren } from "./dom.js";
import { SessionExpiredError } from "./session.js";

// The most pages with no item one page of the table goes past: the API may answer a page with
// no item and a cursor to go on from (a search filters a page of index items once read).
const MOST_EMPTY_PAGES = 10;

/**
 * `columns`: [{label, cell(item) -> node|string, numeric?, word? (a word or two, never broken)}];
 * `loadPage({cursor, signal})`
 * (`emptyText()` says what an empty listing means)
 * resolves to `{items, nextCursor}` (a page with no item and a next cursor is gone past, up to
 * MOST_EMPTY_PAGES: a search's page may have no match and matches after it). Returns `{element, reload()}`: `reload` fetches the page
 * being shown again (after an action changed it), `restart(page)` shows page `page` (0: the
 * first) of a new listing, `clear()` shows no listing (a filter was refused before it was sent:
 * the rows shown belong to the one before). Optional: `countAhead({cursor, signal})` resolves to
 * `{items, more}`, how many items follow `cursor` as far as it looked and whether more do,
 * for "Page 3 of 7"; `trail`, a name for the listing under which the cursors of the pages seen
 * are kept in this tab (a function: the name of the listing shown) (so a page number read from the address is shown again without
 * walking the pages before it); `onPage(page, {turned})` after a page is shown (`turned`: by the
 * pager's buttons, not a new listing or a reload).
 */
export function createPagedTable({ caption, columns, loadPage, emptyText, signal, countAhead, trail, onPage }) {
  const body = h("tbody");
  const table = h(
    "table",
    { class: "table" },
    h("caption", { class: "visually-hidden" }, caption),
    h(
      "thead",
      {},
      h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.numeric ? "numeric" : null }, c.label))),
    ),
    body,
  );
  const state = h("div", { class: "list-state", role: "status" });
  const previous = h("button", { type: "button", class: "button", onclick: () => turn(previous, page - 1) }, "Previous page");
  const next = h("button", { type: "button", class: "button", onclick: () => turn(next, page + 1) }, "Next page");
  const pageLabel = h("span", { class: "pager__label" });
  const pager = h("nav", { class: "pager", "aria-label": `${caption} pages` }, previous, pageLabel, next);
  const element = h("div", { class: "paged-table" }, state, h("div", { class: "table-wrap" }, table), pager);

  // cursors[n] fetches page n; the first page has none.
  let cursors = [null];
  let page = 0;
  // How many pages the listing has, once a look ahead found its end (null: not known).
  let pageCount = null;
  let pagesAtLeast = 1;
  // Loads can overlap (a filter changed while the first page was loading): only the latest
  // one may render, or a slower, superseded answer would replace the newer one.
  let latestLoad = 0;

  /** Shows page `pageIndex`; `turned`: the pager's buttons asked for it. */
  async function show(pageIndex, turned = false) {
    const load = ++latestLoad;
    element.setAttribute("aria-busy", "true");
    previous.disabled = true;
    next.disabled = true;
    state.className = "list-state";
    state.textContent = `Loading ${caption.toLowerCase()}…`;
    try {
      // A page further than the cursors known (an address read afresh): walk to it.
      while (cursors.length <= pageIndex) {
        const { nextCursor } = await loadFrom(cursors[cursors.length - 1]);
        if (load !== latestLoad) return;
        if (!nextCursor) break;
        cursors.push(nextCursor);
      }
      pageIndex = Math.min(pageIndex, cursors.length - 1);
      const { items, nextCursor } = await loadFrom(cursors[pageIndex]);
      if (load !== latestLoad) return;
      // An action emptied the last page: the one before it is the one to show.
      if (items.length === 0 && !nextCursor && pageIndex > 0) {
        cursors = cursors.slice(0, pageIndex);
        return show(pageIndex - 1);
      }
      page = pageIndex;
      cursors = cursors.slice(0, page + 1);
      if (nextCursor) cursors.push(nextCursor);
      keepTrail();
      replaceChildren(body, items.map((item) => row(item)));
      table.hidden = items.length === 0;
      await countPages(load, items.length, nextCursor);
      // No item, and a next page all the same: more empty pages than one page goes past.
      const further = cursors.length > page + 1;
      state.textContent = items.length > 0 ? "" : further ? "Nothing on this page: the next one looks further." : emptyText();
      onPage?.(page, { turned });
    } catch (error) {
      if (load !== latestLoad || error.name === "AbortError" || error instanceof SessionExpiredError) return;
      // A page's cursor the API no longer takes (the item it went on from was removed since):
      // the listing again from its first page, never the rows shown before, which are stale.
      if (pageIndex > 0 && refusesCursor(error)) {
        cursors = [null];
        return show(0);
      }
      // The rows shown before belong to another listing (a search, a filter) or are stale.
      replaceChildren(body);
      table.hidden = true;
      state.className = "list-state list-state--error";
      state.textContent = error.message;
    } finally {
      if (load === latestLoad) settle();
    }
  }

  /** The page at `cursor`: the first page from there that holds items, past at most
   * MOST_EMPTY_PAGES with none (each page's cursor leads to the same page again). */
  async function loadFrom(cursor) {
    let loaded = await loadPage({ cursor, signal });
    for (let passed = 0; loaded.items.length === 0 && loaded.nextCursor && passed < MOST_EMPTY_PAGES; passed++) {
      loaded = await loadPage({ cursor: loaded.nextCursor, signal });
    }
    return loaded;
  }

  /** Page `pageIndex`, asked for with the pager's `pressed` button. A button loses the focus
   * while it is disabled (as both are while a page loads): it goes back to the one pressed, or
   * to the other one when the page reached is the first or the last. */
  async function turn(pressed, pageIndex) {
    await show(pageIndex, true);
    const focused = document.activeElement;
    if (focused && focused !== document.body && !focused.disabled) return;
    [pressed, pressed === next ? previous : next].find((button) => !button.disabled)?.focus();
  }

  function refusesCursor(error) {
    return error.status === 400 && error.fieldErrors?.some((fieldError) => fieldError.field === "cursor");
  }

  /** How many pages there are, from a look ahead after this page when not known yet. */
  async function countPages(load, shown, nextCursor) {
    if (!nextCursor) {
      pageCount = page + 1;
      return;
    }
    if (!countAhead || (pageCount !== null && pageCount > page + 1)) return;
    pageCount = null;
    const ahead = await countAhead({ cursor: nextCursor, signal });
    if (load !== latestLoad) return;
    const pagesAhead = Math.ceil(ahead.items / Math.max(shown, 1));
    if (ahead.more) pagesAtLeast = page + 1 + pagesAhead;
    else pageCount = page + 1 + pagesAhead;
    // Nothing follows (the pages after a search's last match hold none): this page is the last.
    if (pagesAhead === 0 && !ahead.more) {
      cursors = cursors.slice(0, page + 1);
      keepTrail();
    }
  }

  function keepTrail() {
    if (trail) sessionStorage.setItem(trailKey(), JSON.stringify(cursors));
  }

  const trailKey = () => `shop.pages.${trail()}`;

  function storedTrail() {
    try {
      const stored = trail ? JSON.parse(sessionStorage.getItem(trailKey())) : null;
      return Array.isArray(stored) && stored[0] === null && stored.slice(1).every((cursor) => typeof cursor === "string")
        ? stored
        : [null];
    } catch {
      return [null];
    }
  }

  function settle() {
    element.removeAttribute("aria-busy");
    previous.disabled = page === 0;
    next.disabled = cursors.length <= page + 1;
    pager.hidden = page === 0 && cursors.length === 1;
    if (pageCount !== null) pageLabel.textContent = `Page ${page + 1} of ${pageCount}`;
    else if (countAhead) pageLabel.textContent = `Page ${page + 1} of more than ${pagesAtLeast}`;
    else pageLabel.textContent = `Page ${page + 1}`;
  }

  function row(item) {
    return h(
      "tr",
      {},
      columns.map((column) =>
        h("td", { "data-label": column.label, class: column.numeric ? "numeric" : column.word ? "word" : null }, column.cell(item)),
      ),
    );
  }

  pager.hidden = true;
  return {
    element,
    reload: () => {
      pageCount = null;
      return show(page);
    },
    clear: () => {
      latestLoad++;
      replaceChildren(body);
      table.hidden = true;
      pager.hidden = true;
      element.removeAttribute("aria-busy");
      state.className = "list-state";
      state.textContent = "";
    },
    restart: (pageIndex = 0) => {
      cursors = pageIndex > 0 ? storedTrail() : [null];
      pageCount = null;
      pagesAtLeast = 1;
      return show(pageIndex);
    },
  };
}
