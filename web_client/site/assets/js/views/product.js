// One product's page (open to anyone): picture, name, price, stock, description, the
// quantity to put in the cart (a stepper up to the stock), and the way back to the list.

import { h, replaceChildren } from "../dom.js";
import { formatMoney } from "../format.js";
import { createForm, validate } from "../forms.js";
import { createNotice, pageHeader } from "./common.js";
import { maxQuantity } from "../cart.js";
import { addedText, isOutOfStock, productImage, productsAddress, quantityField, quantityRules, stockLabel } from "./products.js";

export function productView({ api, cart, user, params, signal }) {
  const notice = createNotice();
  const body = h("div", { class: "product-page", "aria-busy": "true" }, h("p", { class: "loading" }, "Loading the product…"));
  const back = h("p", { class: "back-link" }, h("a", { href: productsAddress() }, "← Back to the products"));
  const section = h("section", { class: "product" }, back, pageHeader("Product"), notice.element, body);
  const productId = params.get("id") ?? "";
  if (productId === "") showMissing();
  else {
    api.getProduct(productId, { signal }).then(show, (error) => {
      if (error.name === "AbortError") return;
      if ([400, 403, 404].includes(error.status)) showMissing();
      else showFailure(error.message);
    });
  }

  function showMissing() {
    showFailure("This product does not exist (any more).");
    section.querySelector("h1").textContent = "Product not found";
  }

  function showFailure(message) {
    body.removeAttribute("aria-busy");
    replaceChildren(body, h("p", { class: "notice notice--error", role: "alert" }, message));
  }

  function show(product) {
    document.title = `${product.name} · Shop`;
    section.querySelector("h1").textContent = product.name;
    body.removeAttribute("aria-busy");
    const outOfStock = isOutOfStock(product);
    replaceChildren(
      body,
      h("div", { class: "product-page__picture" }, productImage(product, "large")),
      h(
        "div",
        { class: "product-page__details" },
        h("p", { class: "product-page__price" }, formatMoney(product.price)),
        stockLabel(product)
          ? h("p", { class: outOfStock ? "stock stock--out" : "stock", "data-stock": true }, stockLabel(product))
          : null,
        product.description ? h("p", { class: "product-page__description" }, product.description) : null,
        user?.isAdmin ? null : outOfStock ? null : addToCartForm(product),
      ),
    );
  }

  function addToCartForm(product) {
    const max = maxQuantity(product);
    const { form, controls } = createForm({
      fields: [quantityField(max)],
      submitLabel: "Add to cart",
      onSubmit: async ({ quantity }) => {
        validate({ quantity }, quantityRules(max));
        const added = cart.add(product, Number(quantity));
        notice.show(h("span", {}, addedText(product, Number(quantity), added), " ", h("a", { href: "#/cart" }, "See your cart")));
      },
    });
    stepper(controls.quantity.input, max);
    return form;
  }

  return section;
}

/** − and + buttons around a quantity input, from 1 to `max`. */
function stepper(input, max) {
  const step = (by) => {
    const current = /^\d+$/.test(input.value) ? Number(input.value) : 0;
    input.value = String(Math.min(max, Math.max(1, current + by)));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    update();
  };
  const fewer = h("button", { type: "button", class: "button stepper__button", "aria-label": "One fewer", onclick: () => step(-1) }, "−");
  const more = h("button", { type: "button", class: "button stepper__button", "aria-label": "One more", onclick: () => step(1) }, "+");
  const update = () => {
    const current = Number(input.value);
    fewer.disabled = !(current > 1);
    more.disabled = !(current < max);
  };
  input.addEventListener("input", update);
  const wrapper = h("div", { class: "stepper" });
  input.before(wrapper);
  wrapper.append(fewer, input, more);
  update();
}
