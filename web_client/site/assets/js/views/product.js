// One product's page (open to anyone): picture, name, price, stock, description, and the
// quantity to put in the cart.

import { h, replaceChildren } from "../dom.js";
import { formatMoney } from "../format.js";
import { createForm, validate } from "../forms.js";
import { createNotice, pageHeader } from "./common.js";
import { isOutOfStock, productImage, QUANTITY_FIELD, QUANTITY_RULES, stockLabel } from "./products.js";

export function productView({ api, cart, user, params, signal }) {
  const notice = createNotice();
  const body = h("div", { class: "product-page", "aria-busy": "true" }, h("p", { class: "loading" }, "Loading the product…"));
  const section = h("section", { class: "product" }, pageHeader("Product"), notice.element, body);
  const productId = params.get("id") ?? "";
  api.getProduct(productId, { signal }).then(
    (product) => show(product),
    (error) => {
      if (error.name === "AbortError") return;
      body.removeAttribute("aria-busy");
      section.querySelector("h1").textContent = "Product not found";
      replaceChildren(
        body,
        h("p", { class: "notice notice--error", role: "alert" }, error.status === 404 || error.status === 400 ? "This product does not exist (any more)." : error.message),
        h("p", {}, h("a", { href: "#/products" }, "Back to the products")),
      );
    },
  );

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
    return createForm({
      fields: [QUANTITY_FIELD],
      submitLabel: "Add to cart",
      onSubmit: async ({ quantity }) => {
        validate({ quantity }, QUANTITY_RULES);
        cart.add(product, Number(quantity));
        notice.show(h("span", {}, `Added ${quantity} × ${product.name} to your cart. `, h("a", { href: "#/cart" }, "See your cart")));
      },
    }).form;
  }

  return section;
}
