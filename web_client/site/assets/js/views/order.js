// One order's page (its owner or an admin): lines, total, when it was placed, its status
// and its history, each change with when and who.

import { h, replaceChildren } from "../dom.js";
import { capitalize, formatMoney } from "../format.js";
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

/** What the API said about one line of an order it refused (`ApiError.lineErrors`), in a
 * sentence to show beside the line. */
export function lineErrorMessage(error, lineError) {
  if (error.status === 404 && lineError.field === "product_id") {
    return "This product is no longer for sale.";
  }
  return capitalize(lineError.message).replace(/\.?$/, ".");
}

export function orderView({ api, params, signal }) {
  const notice = createNotice();
  const body = h("div", { "aria-busy": "true" }, h("p", { class: "loading" }, "Loading the order…"));
  const section = h("section", { class: "order" }, pageHeader("Order"), notice.element, body);
  if (params.get("placed")) notice.show("Your order is placed.");
  api.getOrder(params.get("id") ?? "", { signal }).then(show, (error) => {
    if (error.name === "AbortError") return;
    body.removeAttribute("aria-busy");
    replaceChildren(body, h("p", { class: "notice notice--error", role: "alert" }, error.status === 404 || error.status === 400 ? "There is no such order." : error.message));
  });

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
