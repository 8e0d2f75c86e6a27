// A paginated table fed by an API listing (`X-Next-Cursor`), with loading and error states.
// On a narrow screen each row becomes a card whose cells carry their column's name.

import { h, replaceChildren } from "./dom.js";
import { SessionExpiredError } from "./session.js";

/**
 * `columns`: [{label, cell(item) -> node|string, numeric?}]; `loadPage({cursor, signal})`
 * (`emptyText()` says what an empty listing means)
 * resolves to `{items, nextCursor}`. Returns `{element, reload()}`: `reload` fetches the page
 * being shown again (after an action changed it), `restart` goes back to the first page.
 */
export function createPagedTable({ caption, columns, loadPage, emptyText, signal }) {
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
  const previous = h("button", { type: "button", class: "button", onclick: () => show(page - 1) }, "Previous page");
  const next = h("button", { type: "button", class: "button", onclick: () => show(page + 1) }, "Next page");
  const pageLabel = h("span", { class: "pager__label" });
  const pager = h("nav", { class: "pager", "aria-label": `${caption} pages` }, previous, pageLabel, next);
  const element = h("div", { class: "paged-table" }, state, h("div", { class: "table-wrap" }, table), pager);

  // cursors[n] fetches page n; the first page has none.
  let cursors = [null];
  let page = 0;
  // Loads can overlap (a filter changed while the first page was loading): only the latest
  // one may render, or a slower, superseded answer would replace the newer one.
  let latestLoad = 0;

  async function show(pageIndex) {
    const load = ++latestLoad;
    element.setAttribute("aria-busy", "true");
    previous.disabled = true;
    next.disabled = true;
    state.className = "list-state";
    state.textContent = `Loading ${caption.toLowerCase()}…`;
    try {
      const { items, nextCursor } = await loadPage({ cursor: cursors[pageIndex], signal });
      if (load !== latestLoad) return;
      // An action emptied the last page: the one before it is the one to show.
      if (items.length === 0 && pageIndex > 0) return show(pageIndex - 1);
      page = pageIndex;
      cursors = cursors.slice(0, page + 1);
      if (nextCursor) cursors.push(nextCursor);
      replaceChildren(body, items.map((item) => row(item)));
      state.textContent = items.length === 0 ? emptyText() : "";
      table.hidden = items.length === 0;
    } catch (error) {
      if (load !== latestLoad || error.name === "AbortError" || error instanceof SessionExpiredError) return;
      state.className = "list-state list-state--error";
      state.textContent = error.message;
    } finally {
      if (load === latestLoad) settle();
    }
  }

  function settle() {
    element.removeAttribute("aria-busy");
    previous.disabled = page === 0;
    next.disabled = cursors.length <= page + 1;
    pager.hidden = page === 0 && cursors.length === 1;
    pageLabel.textContent = `Page ${page + 1}`;
  }

  function row(item) {
    return h(
      "tr",
      {},
      columns.map((column) =>
        h("td", { "data-label": column.label, class: column.numeric ? "numeric" : null }, column.cell(item)),
      ),
    );
  }

  pager.hidden = true;
  return {
    element,
    reload: () => show(page),
    restart: () => {
      cursors = [null];
      return show(0);
    },
  };
}
