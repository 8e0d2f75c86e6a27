// Orders: a shopper sees and cancels their own; an admin sees all, filters them and moves them on.

import { confirmAction } from "../dialog.js";
import { h, uniqueId } from "../dom.js";
import { capitalize, formatMoney } from "../format.js";
import { createPagedTable } from "../list.js";
import { canOrderAgain, ORDER_STATUSES, transitionsFor } from "../order-rules.js";
import { createNotice, outcomeReporter, pageHeader, rowButton, timeCell } from "./common.js";
import { itemCount, orderSummary } from "./order.js";

export function ordersView({ api, cart, user, params, navigate, signal }) {
  let status = user.isAdmin && ORDER_STATUSES.includes(params.get("status")) ? params.get("status") : "";
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
    loadPage: (page) => api.listOrders({ ...page, status }),
    emptyText,
    signal,
  });
  const { run } = outcomeReporter(notice, table);

  function emptyText() {
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
          orderAgain(order, event.currentTarget),
        )
      : null;
    const actions = [...moves, again].filter(Boolean);
    return actions.length > 0 ? h("div", { class: "row-actions" }, actions) : null;
  }

  async function changeStatus(order, move, trigger) {
    if (move.to === "cancelled") {
      const confirmed = await confirmAction({
        title: "Cancel this order?",
        message: `${orderSummary(order)}: ${itemsText(itemCount(order))}, total ${formatMoney(order.total_price, order.currency)}.`,
        confirmLabel: "Cancel order",
        cancelLabel: "Keep order",
        danger: true,
      });
      if (!confirmed) return;
    }
    await run(trigger, async () => {
      const changed = await api.changeOrderStatus(order.order_id, move.to);
      return `Order ${changed.order_id.slice(0, 8)} is now ${changed.status}.`;
    });
  }

  /** Fills the cart with every line of the order, each product as it is now, for review; a
   * product that no longer exists is left out, and the cart says so. */
  async function orderAgain(order, trigger) {
    trigger.disabled = true;
    try {
      const found = await Promise.all(
        order.lines.map((line) =>
          api.getProduct(line.product_id).then(
            (product) => ({ product, quantity: line.quantity }),
            (error) => {
              if (error.status === 404) return { missing: line.product_name };
              throw error;
            },
          ),
        ),
      );
      const missing = found.filter((entry) => entry.missing).map((entry) => entry.missing);
      cart.fill(
        found.filter((entry) => entry.product),
        missing.length ? `Not in the cart: ${missing.join(", ")} (no longer for sale).` : "",
      );
      navigate("/cart");
    } catch (error) {
      trigger.disabled = false;
      notice.show(error.message, "error");
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
          // A message about the list before is not about this one.
          notice.clear();
          // Keep the filter in the address (reload, back after sign-in) without re-rendering the page.
          history.replaceState(null, "", status ? `#/orders?status=${status}` : "#/orders");
          table.restart();
        },
      },
      h("option", { value: "" }, "All statuses"),
      ORDER_STATUSES.map((value) => h("option", { value, selected: value === status }, capitalize(value))),
    );
    return h("div", { class: "filter" }, h("label", { for: id }, "Status"), select);
  }

  table.restart();
  return h(
    "section",
    { class: "orders" },
    pageHeader(user.isAdmin ? "All orders" : "Your orders", user.isAdmin ? statusFilter() : null),
    notice.element,
    table.element,
  );
}

function statusBadge(status) {
  return h("span", { class: `badge badge--${status}` }, capitalize(status));
}

function itemsText(count) {
  return `${count.toLocaleString()} ${count === 1 ? "item" : "items"}`;
}
