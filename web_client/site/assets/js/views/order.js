// One order's page (its owner or an admin): lines, total, when it was placed, its status
// and its history, each change with when and who.

import { addressBlock } from "../address.js";
import { whileBusy } from "../busy.js";
import { maxQuantity } from "../cart.js";
import { confirmAction } from "../dialog.js";
import { h, replaceChildren } from "../dom.js";
import { capitalize, formatMoney } from "../format.js";
import { canOrderAgain, transitionsFor } from "../order-rules.js";
import { SessionExpiredError } from "../session.js";
import { createNotice, pageHeader, timeCell } from "./common.js";

/** An order in a few words: its first product's name, and how many more it holds. */
export function orderSummary(order) {
  const [first, ...others] = order.lines;
  return others.length > 0 ? `${first.product_name} and ${others.length} more` : first.product_name;
}

/** How many items an order holds, all lines together. */
export function itemCount(order) {
  return order.lines.reduce((sum, line) => sum + line.quantity, 0);
}

/** What the API said about one line of an order it refused (`ApiError.lineErrors`), in the
 * page's words, to show beside the line. */
export function lineErrorMessage(error, lineError) {
  if (error.status === 404 && lineError.field === "product_id") {
    return "This product is no longer for sale.";
  }
  // The orders service's "only <n> left": the stock, read from the message's one number.
  const left = error.status === 409 && lineError.field === "quantity" ? /\d+/.exec(lineError.message) : null;
  if (left) return Number(left[0]) === 0 ? "Out of stock." : `Only ${Number(left[0]).toLocaleString()} left.`;
  return "The shop cannot take this line as it is: change it or remove it.";
}

/**
 * "Order again": adds every line of `order` to the cart, each product as it is now, to the
 * lines already there (quantities added, up to what one order may hold: the stock, at most
 * MAX_QUANTITY), then opens the cart, which says what changed line by line. A product that
 * no longer exists is left out, and named. `trigger` is busy meanwhile.
 */
export async function orderAgain({ api, cart, navigate, notice }, order, trigger) {
  try {
    const found = await whileBusy(trigger, () =>
      Promise.all(
        order.lines.map((line) =>
          api.getProduct(line.product_id).then(
            (product) => ({ product, quantity: line.quantity }),
            (error) => {
              if (error.status === 404) return { missing: line.product_name, quantity: line.quantity };
              throw error;
            },
          ),
        ),
      ),
    );
    const changes = cart.merge(found.filter((entry) => entry.product));
    const missing = found.filter((entry) => entry.missing);
    const short = changes.some((change) => change.added < wantedOf(found, change.product)) || missing.length > 0;
    cart.leaveNote({
      kind: short ? "error" : "success",
      content: [
        h("p", {}, short ? "Not all of this order fits in your cart again:" : "This order is in your cart again:"),
        h(
          "ul",
          { "data-order-again": true },
          changes.map((change) => h("li", {}, changeText(change, wantedOf(found, change.product)))),
          missing.map((entry) => h("li", {}, `${entry.missing}: no longer for sale, not added.`)),
        ),
      ],
    });
    navigate("/cart");
  } catch (error) {
    notice.show(error.message, "error");
  }
}

/** Asks before a move that cannot be undone (a cancel); resolves true to go ahead. */
export async function confirmMove(order, move) {
  if (move.to !== "cancelled") return true;
  const count = itemCount(order);
  return confirmAction({
    title: "Cancel this order?",
    message: `${orderSummary(order)}: ${count.toLocaleString()} ${count === 1 ? "item" : "items"}, total ${formatMoney(order.total_price, order.currency)}.`,
    confirmLabel: "Cancel order",
    cancelLabel: "Keep order",
    danger: true,
  });
}

/** Whether `error`, the refusal of a move of `order`, came from the order having moved on
 * meanwhile: a conflict (409), or a move its status now forbids this user (403: only the admin
 * cancels a shipped order), told from a move never allowed by reading the order again. */
export async function changedMeanwhile(api, order, error) {
  if (error.status === 409) return true;
  if (error.status !== 403) return false;
  const now = await api.getOrder(order.order_id).catch(() => null);
  return Boolean(now) && now.status !== order.status;
}

function wantedOf(found, product) {
  return found.find((entry) => entry.product === product).quantity;
}

/** One line of what Order again did: `change` is `Cart.merge`'s, `wanted` the order's quantity. */
function changeText({ product, added, quantity }, wanted) {
  const before = quantity - added;
  const most = maxQuantity(product);
  const limit = product.stock === most ? `${most.toLocaleString()} in stock` : `at most ${most.toLocaleString()} a line`;
  if (added === wanted) {
    return before === 0 ? `${product.name}: ${added} added.` : `${product.name}: ${added} added to the ${before} already there, ${quantity} now.`;
  }
  if (product.stock === 0) return `${product.name}: out of stock, not added.`;
  if (added === 0) return `${product.name}: none added, the cart already holds ${quantity} (${limit}).`;
  return `${product.name}: ${added} of ${wanted} added, ${quantity} now (${limit}).`;
}

export function orderView({ api, cart, user, params, navigate, signal }) {
  const notice = createNotice();
  const body = h("div", { "aria-busy": "true" }, h("p", { class: "loading" }, "Loading the order…"));
  const section = h("section", { class: "order" }, pageHeader("Order"), notice.element, body);
  const orderId = params.get("id") ?? "";
  if (params.get("placed")) notice.show("Your order is placed.");
  load();

  function load() {
    if (orderId === "") return showFailure("There is no such order.");
    return api.getOrder(orderId, { signal }).then(show, (error) => {
      if (error.name === "AbortError") return;
      showFailure([400, 403, 404].includes(error.status) ? "There is no such order." : error.message);
    });
  }

  function showFailure(message) {
    body.removeAttribute("aria-busy");
    replaceChildren(body, h("p", { class: "notice notice--error", role: "alert" }, message));
  }

  /** The moves this user may make (Cancel, and Ship or Deliver for an admin) and Order again. */
  function actions(order) {
    const moves = transitionsFor(order, user).map((move) =>
      h(
        "button",
        {
          type: "button",
          class: `button ${move.to === "cancelled" ? "button--danger" : "button--primary"}`,
          onclick: (event) => changeStatus(order, move, event.currentTarget),
        },
        move.to === "cancelled" ? "Cancel order" : move.label,
      ),
    );
    const again = canOrderAgain(order, user)
      ? h("button", { type: "button", class: "button", onclick: (event) => orderAgain({ api, cart, navigate, notice }, order, event.currentTarget) }, "Order again")
      : null;
    return moves.length > 0 || again ? h("div", { class: "form-actions order-actions" }, moves, again) : null;
  }

  async function changeStatus(order, move, trigger) {
    if (!(await confirmMove(order, move))) return;
    await whileBusy(trigger, async () => {
      let outcome;
      try {
        const changed = await api.changeOrderStatus(order.order_id, move.to);
        outcome = [`This order is now ${changed.status}.`, "success"];
      } catch (error) {
        if (error instanceof SessionExpiredError) return;
        const stale = await changedMeanwhile(api, order, error);
        outcome = [stale ? "This order changed meanwhile: here it is as it is now." : error.message, "error"];
      }
      // The order as it is now first, then what happened to it.
      await load();
      notice.show(...outcome);
      notice.element.focus();
    });
  }

  function show(order) {
    body.removeAttribute("aria-busy");
    section.querySelector("h1").textContent = "Order";
    replaceChildren(
      body,
      h(
        "dl",
        { class: "order-facts" },
        h("dt", {}, "Order"),
        h("dd", {}, h("code", { class: "order-id" }, order.order_id)),
        h("dt", {}, "Placed on"),
        h("dd", {}, timeCell(order.created_at)),
        h("dt", {}, "Status"),
        h("dd", {}, h("span", { class: `badge badge--${order.status}` }, capitalize(order.status))),
        h("dt", {}, "Customer"),
        h("dd", {}, order.username),
        h("dt", {}, "Deliver to"),
        h("dd", {}, addressBlock(order.address)),
      ),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "table" },
          h("caption", { class: "visually-hidden" }, "Lines"),
          h("thead", {}, h("tr", {}, ["Product", "Price", "Quantity", "Line total"].map((label) => h("th", { scope: "col", class: label === "Product" ? null : "numeric" }, label)))),
          h(
            "tbody",
            {},
            order.lines.map((line) =>
              h(
                "tr",
                { "data-product-id": line.product_id },
                h("td", { "data-label": "Product" }, line.product_name),
                h("td", { "data-label": "Price", class: "numeric" }, formatMoney(line.unit_price, order.currency)),
                h("td", { "data-label": "Quantity", class: "numeric" }, String(line.quantity)),
                h("td", { "data-label": "Line total", class: "numeric" }, formatMoney(line.line_total, order.currency)),
              ),
            ),
          ),
        ),
      ),
      h("p", { class: "cart__total", "data-order-total": true }, `Total: ${formatMoney(order.total_price, order.currency)}`),
      actions(order),
      h("h2", {}, "History"),
      h(
        "ol",
        { class: "history" },
        (order.history ?? []).map((change) =>
          h(
            "li",
            {},
            h("span", { class: `badge badge--${change.status}` }, capitalize(change.status)),
            " ",
            timeCell(change.at),
            change.username ? ` by ${change.username}` : "",
          ),
        ),
      ),
    );
  }

  return section;
}
