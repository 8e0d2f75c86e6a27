// Orders: a shopper sees and cancels their own; an admin sees all, filters them and moves them on.

import { whileBusy } from "../busy.js";
import { h, uniqueId } from "../dom.js";
import { capitalize, formatMoney, moneyAmount } from "../format.js";
import { download, toCsv } from "../csv.js";
import { MAX_PAGE_SIZE } from "../limits.js";
import { createPagedTable } from "../list.js";
import { canOrderAgain, ORDER_STATUSES, transitionsFor } from "../order-rules.js";
import { SessionExpiredError } from "../session.js";
import { createNotice, keepInAddress, outcomeReporter, pageHeader, rowButton, timeCell } from "./common.js";
import { changedMeanwhile, confirmMove, itemCount, orderAgain, orderSummary } from "./order.js";

// How long the customer box waits after the last key before it lists.
const SEARCH_DELAY_MS = 300;

export function ordersView({ api, cart, user, params, navigate, signal }) {
  let status = user.isAdmin && ORDER_STATUSES.includes(params.get("status")) ? params.get("status") : "";
  // An admin's listing of one customer's orders, by username.
  let customer = user.isAdmin ? (params.get("customer") ?? "").trim() : "";
  const notice = createNotice();
  const table = createPagedTable({
    caption: user.isAdmin ? "All orders" : "Your orders",
    columns: [
      // The whole id, selectable, so that it can be copied.
      {
        label: "Order",
        cell: (order) =>
          h("a", { href: `#/order?id=${encodeURIComponent(order.order_id)}` }, h("code", { class: "order-id" }, order.order_id)),
      },
      { label: "Products", cell: (order) => orderSummary(order) },
      user.isAdmin ? { label: "Customer", cell: (order) => order.username } : null,
      { label: "Items", cell: (order) => String(itemCount(order)), numeric: true },
      { label: "Total", cell: (order) => formatMoney(order.total_price, order.currency), numeric: true },
      { label: "Status", cell: (order) => statusBadge(order.status) },
      user.isAdmin
        ? { label: "Updated", cell: (order) => timeCell(order.updated_at) }
        : { label: "Ordered on", cell: (order) => timeCell(order.created_at) },
      { label: "Actions", cell: (order) => actionsFor(order) },
    ].filter(Boolean),
    loadPage: (page) => listOrders(page),
    emptyText,
    signal,
  });
  const { run } = outcomeReporter(notice, table);

  /** One page of the listing shown; a customer the shop does not have, said so. */
  function listOrders(page) {
    return api.listOrders({ ...page, status, customer }).catch((error) => {
      if (error.status === 404 && customer) throw new Error(`No customer is called “${customer}”: check the username.`);
      throw error;
    });
  }

  function emptyText() {
    if (customer) return `No ${status ? `${status} ` : ""}orders of ${customer}.`;
    if (status) return `No ${status} orders.`;
    return user.isAdmin ? "No orders yet." : "You have no orders yet: order from the Products page.";
  }

  function actionsFor(order) {
    const name = `order ${order.order_id.slice(0, 8)} (${orderSummary(order)})`;
    const moves = transitionsFor(order, user).map((move) =>
      rowButton(
        move.label,
        `${move.label} ${name}`,
        (event) => changeStatus(order, move, event.currentTarget),
        move.to === "cancelled" ? "button--danger" : "button--primary",
      ),
    );
    const again = canOrderAgain(order, user)
      ? rowButton("Order again", `Order again: ${orderSummary(order)}`, (event) =>
          orderAgain({ api, cart, navigate, notice }, order, event.currentTarget),
        )
      : null;
    const actions = [...moves, again].filter(Boolean);
    return actions.length > 0 ? h("div", { class: "row-actions" }, actions) : null;
  }

  async function changeStatus(order, move, trigger) {
    if (!(await confirmMove(order, move))) return;
    await run(trigger, async () => {
      const changed = await api.changeOrderStatus(order.order_id, move.to).catch(async (error) => {
        if (!(await changedMeanwhile(api, order, error))) throw error;
        // Another change came first (the list reloads after this): say so, not why in general.
        throw new Error(`Order ${order.order_id.slice(0, 8)} changed meanwhile: the list shows it as it is now, check it and try again.`);
      });
      return `Order ${changed.order_id.slice(0, 8)} is now ${changed.status}.`;
    });
  }


  /** Every order of the listing shown (its filter), as a CSV file the browser saves. */
  async function exportCsv(button) {
    notice.show("Exporting the orders…");
    try {
      await whileBusy(button, async () => {
        const orders = [];
        let cursor = null;
        do {
          const page = await listOrders({ cursor, limit: MAX_PAGE_SIZE, signal });
          orders.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        download(`${["orders", status, customer].filter(Boolean).join("-")}.csv`, ordersCsv(orders));
        notice.show(`Exported ${orders.length.toLocaleString()} ${orders.length === 1 ? "order" : "orders"}.`);
      });
    } catch (error) {
      if (!(error instanceof SessionExpiredError)) notice.show(error.message, "error");
    }
  }

  function statusFilter() {
    const id = uniqueId("status-filter");
    const select = h(
      "select",
      {
        id,
        onchange: (event) => {
          status = event.target.value;
          filtered();
        },
      },
      h("option", { value: "" }, "All statuses"),
      ORDER_STATUSES.map((value) => h("option", { value, selected: value === status }, capitalize(value))),
    );
    return h("div", { class: "filter" }, h("label", { for: id }, "Status"), select);
  }

  function customerSearch() {
    const id = uniqueId("customer");
    let timer = null;
    const input = h("input", {
      id,
      type: "search",
      value: customer,
      autocomplete: "off",
      autocapitalize: "none",
      spellcheck: "false",
      placeholder: "Username",
      oninput: () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          customer = input.value.trim();
          filtered();
        }, SEARCH_DELAY_MS);
      },
    });
    return h("div", { class: "filter" }, h("label", { for: id }, "Customer"), input);
  }

  /** The listing after a filter changed: from its first page, the filters in the address
   * (reload, back after sign-in) without drawing the page again. */
  function filtered() {
    // A message about the list before is not about this one.
    notice.clear();
    const query = new URLSearchParams();
    if (status) query.set("status", status);
    if (customer) query.set("customer", customer);
    keepInAddress(query.size > 0 ? `#/orders?${query}` : "#/orders");
    table.restart();
  }

  table.restart();
  return h(
    "section",
    { class: "orders" },
    pageHeader(
      user.isAdmin ? "All orders" : "Your orders",
      user.isAdmin ? h("button", { type: "button", class: "button", onclick: (event) => exportCsv(event.currentTarget) }, "Export CSV") : null,
    ),
    user.isAdmin ? h("div", { class: "list-tools" }, customerSearch(), statusFilter()) : null,
    notice.element,
    table.element,
  );
}

/** One row per order: what the list shows, each line's products and quantities in one cell. */
function ordersCsv(orders) {
  return toCsv(
    ["order_id", "placed_at", "updated_at", "status", "customer", "items", "total", "currency", "products"],
    orders.map((order) => [
      order.order_id,
      order.created_at,
      order.updated_at,
      order.status,
      order.username,
      itemCount(order),
      moneyAmount(order.total_price, order.currency),
      order.currency,
      order.lines.map((line) => `${line.quantity} x ${line.product_name}`).join("; "),
    ]),
  );
}

function statusBadge(status) {
  return h("span", { class: `badge badge--${status}` }, capitalize(status));
}
