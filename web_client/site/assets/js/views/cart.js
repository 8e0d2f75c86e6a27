// The cart: its lines (editable quantities, per-line totals), the total, and checkout. A
// visitor signs in from here and comes back to it.

import { h, replaceChildren, uniqueId } from "../dom.js";
import { formatMoney } from "../format.js";
import { cartTotal, lineTotal, MAX_QUANTITY } from "../cart.js";
import { createNotice, pageHeader, rowButton } from "./common.js";
import { productImage, validQuantity } from "./products.js";

export function cartView({ api, cart, user, navigate, params }) {
  const notice = createNotice();
  const content = h("div", { class: "cart" });
  const section = h("section", {}, pageHeader("Your cart"), notice.element, content);
  // One key per distinct cart content: a retried checkout never orders twice.
  const keys = new Map();
  if (params.get("skipped")) notice.show(params.get("skipped"), "error");

  function show() {
    const lines = cart.lines;
    if (lines.length === 0) {
      replaceChildren(content, h("p", { class: "list-state" }, "Your cart is empty. ", h("a", { href: "#/products" }, "Browse the products")));
      return;
    }
    const invalid = new Set();
    const total = h("p", { class: "cart__total", "data-cart-total": true });
    const rows = lines.map((line) => lineRow(line, invalid, () => showTotal()));
    const checkout = h("button", { type: "button", class: "button button--primary", onclick: (event) => checkOut(event.currentTarget) }, user ? "Place order" : "Sign in to order");
    // The API places one product per order today (multi-line orders are not built yet).
    const tooManyLines = lines.length > 1;
    const oneProductNote = h("p", { class: "cart__note", "data-cart-note": true, hidden: !tooManyLines }, "An order holds one product for now: remove the other lines to place this one, then come back for them.");
    function showTotal() {
      // A quantity the API would refuse has no total.
      total.textContent = invalid.size === 0 ? `Total: ${formatMoney(cartTotal(cart.lines))}` : "";
      checkout.disabled = invalid.size > 0 || tooManyLines;
    }
    replaceChildren(
      content,
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "table" },
          h("caption", { class: "visually-hidden" }, "Cart"),
          h("thead", {}, h("tr", {}, ["Picture", "Product", "Price", "Quantity", "Line total", "Actions"].map((label) => h("th", { scope: "col", class: ["Price", "Line total"].includes(label) ? "numeric" : null }, label)))),
          h("tbody", {}, rows),
        ),
      ),
      total,
      oneProductNote,
      h("div", { class: "form-actions" }, checkout, h("a", { class: "button", href: "#/products" }, "Continue shopping")),
    );
    showTotal();
  }

  function lineRow(line, invalid, changed) {
    const id = uniqueId("quantity");
    const error = h("p", { class: "field__error", hidden: true, id: `${id}-error` });
    const lineCell = h("td", { "data-label": "Line total", class: "numeric" }, formatMoney(lineTotal(line.unitPrice, line.quantity)));
    const input = h("input", {
      id,
      type: "number",
      min: "1",
      max: String(MAX_QUANTITY),
      step: "1",
      inputmode: "numeric",
      value: String(line.quantity),
      "aria-label": `Quantity of ${line.name}`,
      oninput: () => {
        const quantity = validQuantity(input.value.trim());
        error.hidden = quantity !== null;
        error.textContent = quantity === null ? `Order from 1 to ${MAX_QUANTITY} items.` : "";
        if (quantity === null) {
          invalid.add(line.productId);
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", error.id);
          lineCell.textContent = "";
        } else {
          invalid.delete(line.productId);
          input.removeAttribute("aria-invalid");
          input.removeAttribute("aria-describedby");
          cart.setQuantity(line.productId, quantity);
          lineCell.textContent = formatMoney(lineTotal(line.unitPrice, quantity));
        }
        changed();
      },
    });
    return h(
      "tr",
      { "data-product-id": line.productId },
      h("td", { "data-label": "Picture" }, productImage({ image: line.image })),
      h("td", { "data-label": "Product" }, h("a", { class: "product-name", href: `#/product?id=${encodeURIComponent(line.productId)}` }, line.name)),
      h("td", { "data-label": "Price", class: "numeric" }, formatMoney(line.unitPrice)),
      h("td", { "data-label": "Quantity" }, input, error),
      lineCell,
      h("td", { "data-label": "Actions" }, rowButton("Remove", `Remove ${line.name} from the cart`, () => {
        cart.remove(line.productId);
        notice.show(`Removed ${line.name}.`);
      })),
    );
  }

  async function checkOut(button) {
    if (!user) {
      navigate(`/sign-in?next=${encodeURIComponent("/cart")}`);
      return;
    }
    const [line] = cart.lines;
    const body = JSON.stringify([line.productId, line.quantity]);
    if (!keys.has(body)) keys.set(body, crypto.randomUUID());
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = "Placing order…";
    try {
      const order = await api.createOrder(line, keys.get(body));
      cart.clear();
      navigate(`/order?id=${encodeURIComponent(order.order_id)}&placed=1`);
    } catch (error) {
      if (error.name === "SessionExpiredError") return;
      notice.show(error.message, "error");
      button.disabled = false;
      button.removeAttribute("aria-busy");
      button.textContent = "Place order";
    }
  }

  // Another tab changing the cart shows here too; a quantity being typed here is not
  // redrawn under the cursor.
  const onChange = () => {
    if (!section.isConnected) {
      cart.removeEventListener("change", onChange);
      return;
    }
    if (content.contains(document.activeElement) && document.activeElement.tagName === "INPUT") return;
    show();
  };
  cart.addEventListener("change", onChange);
  show();
  return section;
}
