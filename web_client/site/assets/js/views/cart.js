// The cart: its lines (editable quantities, per-line totals), the total, and checkout. A
// visitor signs in from here and comes back to it.

import { addressField, addressFields, addressOf, savedAddress, saveAddress, validateAddress } from "../address.js";
import { h, replaceChildren, uniqueId } from "../dom.js";
import { createForm, FormError } from "../forms.js";
import { formatMoney } from "../format.js";
import { cartTotal, lineTotal, maxQuantity } from "../cart.js";
import { MAX_LINES, MAX_QUANTITY } from "../limits.js";
import { createNotice, pageHeader, rowButton } from "./common.js";
import { lineErrorMessage } from "./order.js";
import { productImage, productOnSale, quantityRangeText, validQuantity } from "./products.js";

export function cartView({ api, cart, user, navigate }) {
  const notice = createNotice();
  // The lines and their total, redrawn as the cart changes; the checkout below them is drawn
  // once, so what is typed in it (and the focus) stays.
  const linesArea = h("div", {});
  const checkoutArea = h("div", {});
  const content = h("div", { class: "cart" }, linesArea, checkoutArea);
  const section = h("section", {}, pageHeader("Your cart"), notice.element, content);
  // The most of each product a line may hold, as the shop last said (its stock).
  const maxOf = new Map();
  // One key per distinct cart content: a retried checkout never orders twice.
  const keys = new Map();
  const note = cart.takeNote();
  if (note) notice.show(note.content, note.kind);
  // The rows drawn last (the order is checked out against them).
  let rows = [];
  // A change not drawn yet, because a quantity was being typed (see `redraw`).
  let redrawPending = false;
  // Signed in, the order goes to the delivery address filled in below (one form for the
  // page's life: redrawing the lines keeps what was typed); a visitor signs in first.
  const checkout = user ? addressForm() : null;
  const checkoutButton = checkout
    ? checkout.querySelector('button[type="submit"]')
    : h("button", { type: "button", class: "button button--primary", onclick: () => navigate(`/sign-in?next=${encodeURIComponent("/cart")}&reason=checkout`) }, "Sign in to order");

  function show() {
    redrawPending = false;
    // A Remove button focused when the lines are drawn again keeps the focus, drawn anew.
    const focusedRemove = rows.find((row) => row.remove === document.activeElement)?.line.productId;
    const lines = cart.lines;
    if (lines.length === 0) {
      rows = [];
      replaceChildren(linesArea, h("p", { class: "list-state" }, "Your cart is empty. ", h("a", { href: "#/products" }, "Browse the products")));
      replaceChildren(checkoutArea);
      return;
    }
    const invalid = new Set();
    const total = h("p", { class: "cart__total", "data-cart-total": true });
    rows = lines.map((line) => lineRow(line, invalid, () => showTotal()));
    const tooManyLines = lines.length > MAX_LINES;
    const limitNote = tooManyLines
      ? h("p", { class: "cart__note", "data-cart-limit": true }, `An order holds at most ${MAX_LINES} products: remove ${lines.length - MAX_LINES} to place this one.`)
      : null;
    function showTotal() {
      // A quantity the API would refuse has no total.
      total.textContent = invalid.size === 0 ? `Total: ${formatMoney(cartTotal(cart.lines))}` : "";
      checkoutButton.disabled = invalid.size > 0 || tooManyLines;
    }
    replaceChildren(
      linesArea,
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "table" },
          h("caption", { class: "visually-hidden" }, "Cart"),
          h("thead", {}, h("tr", {}, ["Picture", "Product", "Price", "Quantity", "Line total", "Actions"].map((label) => h("th", { scope: "col", class: ["Price", "Line total"].includes(label) ? "numeric" : null }, label)))),
          h("tbody", {}, rows.map((row) => row.element)),
        ),
      ),
      total,
      limitNote,
    );
    if (!checkoutArea.hasChildNodes()) {
      replaceChildren(
        checkoutArea,
        checkout
          ? [h("h2", {}, "Delivery address"), checkout]
          : h("div", { class: "form-actions" }, checkoutButton, h("a", { class: "button", href: "#/products" }, "Continue shopping")),
      );
    }
    showTotal();
    rows.find((row) => row.line.productId === focusedRemove)?.remove.focus();
  }

  /** The delivery address, kept from the last order, whose submit places the order. */
  function addressForm() {
    const { form } = createForm({
      fields: addressFields(savedAddress(user.sub)),
      submitLabel: "Place order",
      busyLabel: "Placing order…",
      extra: h("a", { class: "button", href: "#/products" }, "Continue shopping"),
      onSubmit: async (values) => {
        validateAddress(values);
        await checkOut(addressOf(values));
      },
    });
    return form;
  }

  /** A line of the cart: `{line, element, remove, showError(message)}` (`line` as first drawn); the error (a quantity the
   * API would refuse, or the API's answer about this line) is shown under its quantity. */
  function lineRow(line, invalid, changed) {
    const id = uniqueId("quantity");
    const max = maxOf.get(line.productId) ?? MAX_QUANTITY;
    const error = h("p", { class: "field__error", hidden: true, id: `${id}-error`, "data-line-error": true });
    const lineCell = h("td", { "data-label": "Line total", class: "numeric" }, formatMoney(lineTotal(line.unitPrice, line.quantity)));
    const input = h("input", {
      id,
      type: "number",
      min: "1",
      max: String(max),
      step: "1",
      inputmode: "numeric",
      value: String(line.quantity),
      "aria-label": `Quantity of ${line.name}`,
      oninput: () => {
        const quantity = validQuantity(input.value.trim(), max);
        showError(quantity === null ? quantityRangeText(max) : null);
        if (quantity === null) {
          invalid.add(line.productId);
          lineCell.textContent = "";
        } else {
          invalid.delete(line.productId);
          cart.setQuantity(line.productId, quantity);
          lineCell.textContent = formatMoney(lineTotal(line.unitPrice, quantity));
        }
        changed();
      },
    });
    function showError(message) {
      error.textContent = message ?? "";
      error.hidden = !message;
      if (message) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", error.id);
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    }
    const remove = rowButton("Remove", `Remove ${line.name} from the cart`, () => {
      const index = rows.findIndex((row) => row.line.productId === line.productId);
      cart.remove(line.productId);
      notice.show(`Removed ${line.name}.`);
      // The cart is drawn again without this row: the focus goes to the next line's Remove
      // (the one before, for the last line), or to the notice once the cart is empty.
      (rows[Math.min(index, rows.length - 1)]?.remove ?? notice.element).focus();
    });
    const element = h(
      "tr",
      { "data-product-id": line.productId },
      h("td", { "data-label": "Picture" }, productImage({ image: line.image })),
      h("td", { "data-label": "Product" }, h("a", { class: "product-name", href: `#/product?id=${encodeURIComponent(line.productId)}` }, line.name)),
      h("td", { "data-label": "Price", class: "numeric" }, formatMoney(line.unitPrice)),
      h("td", { "data-label": "Quantity" }, input, error),
      lineCell,
      h("td", { "data-label": "Actions" }, remove),
    );
    if (line.quantity > max) {
      showError(quantityRangeText(max));
      invalid.add(line.productId);
      lineCell.textContent = "";
    }
    return { line, element, remove, showError };
  }

  /** Places the cart as one order to `address`, at the prices shown (a price changed since is
   * shown instead, and nothing ordered); a refusal is shown beside the lines (the rows drawn
   * last) and the address fields it names (thrown to the form), the cart left as it was. */
  async function checkOut(address) {
    const repriced = await currentPrices();
    if (repriced.length > 0) {
      showPriceChanges(repriced, "Nothing was ordered: check the total, then place the order again.");
      return;
    }
    // As stored now (a quantity typed since the cart was drawn included), in the order sent.
    const lines = cart.lines;
    const body = JSON.stringify([address, lines.map((line) => [line.productId, line.quantity])]);
    if (!keys.has(body)) keys.set(body, crypto.randomUUID());
    for (const row of rows) row.showError(null);
    notice.clear();
    let order;
    try {
      order = await api.createOrder(lines, address, keys.get(body));
    } catch (error) {
      if (error.name === "SessionExpiredError") return;
      showRefusal(error, lines.map((line) => rows.find((row) => row.line.productId === line.productId)));
      const fields = (error.fieldErrors ?? []).map((fieldError) => addressField(fieldError.field)).filter(Boolean);
      if (fields.length > 0) {
        throw new FormError("Check the delivery address marked below.", fields.map((field) => ({ field, message: "The shop refused this: check it." })));
      }
      return;
    }
    saveAddress(user.sub, address);
    cart.clear();
    navigate(`/order?id=${encodeURIComponent(order.order_id)}&placed=1`);
  }

  /** The cart's products read again, and their prices, names and pictures as the shop now
   * sells them put in the cart (a product gone is left for the order to refuse); resolves to
   * the lines whose price changed, `{name, was, now}`. */
  async function currentPrices() {
    const lines = cart.lines;
    const products = (await Promise.all(lines.map((line) => productOnSale(api, line.productId)))).filter(Boolean);
    for (const product of products) maxOf.set(product.product_id, maxQuantity(product));
    const lineOf = (product) => lines.find((line) => line.productId === product.product_id);
    const repriced = products
      .filter((product) => Number(lineOf(product).unitPrice) !== Number(product.price))
      .map((product) => ({ name: product.name, was: lineOf(product).unitPrice, now: product.price }));
    const changed = products.some((product) => {
      const line = lineOf(product);
      return line.unitPrice !== product.price || line.name !== product.name || line.image !== (product.image ?? null);
    });
    if (changed) cart.merge(products.map((product) => ({ product, quantity: 0 })));
    return repriced;
  }

  function showPriceChanges(repriced, then) {
    const changes = repriced.map(({ name, was, now }) => h("li", {}, `${name} is now ${formatMoney(now)} (it was ${formatMoney(was)} when you added it).`));
    notice.show([h("p", {}, "Prices changed since you added these products:"), h("ul", {}, changes), then ? h("p", {}, then) : null], "warning");
    notice.element.focus();
  }

  /** Why the order was refused: each line the API names (`rows`: the sent lines' rows, in
   * order) gets its reason beside it, nothing in the cart changes; the message, and anything
   * about no line in particular, above. */
  function showRefusal(error, rows) {
    const placed = rows.filter((row, index) => {
      const [lineError] = error.lineErrors?.(index) ?? [];
      if (lineError) row?.showError(lineErrorMessage(error, lineError));
      return Boolean(lineError);
    });
    notice.show(
      [
        h("p", {}, error.message),
        placed.length > 0 ? h("p", {}, "Nothing was ordered: change the lines marked below, then place the order again.") : null,
      ],
      "error",
    );
    notice.element.focus();
  }

  // Another tab changing the cart, or the shop's prices and stock read again, shows here
  // too; while a quantity is being typed, the lines are redrawn once the focus leaves them.
  const redraw = () => {
    if (linesArea.contains(document.activeElement) && document.activeElement.tagName === "INPUT") {
      redrawPending = true;
      return;
    }
    show();
  };
  linesArea.addEventListener("focusout", (event) => {
    if (redrawPending && !linesArea.contains(event.relatedTarget)) show();
  });
  const onChange = () => {
    if (!section.isConnected) {
      cart.removeEventListener("change", onChange);
      return;
    }
    redraw();
  };
  cart.addEventListener("change", onChange);
  show();
  if (cart.lines.length > 0) {
    currentPrices()
      .then((repriced) => {
        redraw(); // the stock read may bound a quantity in the cart
        if (repriced.length > 0) showPriceChanges(repriced, "The total below is at the new prices.");
      })
      .catch((error) => error.name !== "AbortError" && notice.show(`The prices could not be checked: ${error.message}`, "error"));
  }
  return section;
}
