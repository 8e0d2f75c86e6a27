// Products: everybody sees the catalogue; a shopper orders from it, an admin maintains it.

import { confirmAction, openDialog } from "../dialog.js";
import { h } from "../dom.js";
import { formatMoney } from "../format.js";
import { createForm, filled, validate } from "../forms.js";
import { createPagedTable } from "../list.js";
import { closeButton, createNotice, outcomeReporter, pageHeader, rowButton, timeCell } from "./common.js";

// The limits of the API contract (api_gateway/openapi.yaml), checked before sending so the
// user learns at once, beside the field, what the API would refuse.
const MAX_NAME_LENGTH = 200;
const MAX_PRICE = 1_000_000;
const MAX_QUANTITY = 1000;
const PRODUCT_RULES = {
  name: [
    [filled, "Enter a name."],
    [(name) => name.length <= MAX_NAME_LENGTH, `Use at most ${MAX_NAME_LENGTH} characters.`],
  ],
  price: [
    [filled, "Enter a price."],
    [(price) => /^\d+(\.\d+)?$/.test(price), "Enter the price as a number, for example 12.50."],
    [(price) => /^\d+(\.\d{1,2})?$/.test(price), "Use at most 2 decimals, for example 12.50."],
    [(price) => Number(price) > 0, "The price must be more than 0."],
    [(price) => Number(price) <= MAX_PRICE, `The price can be at most ${formatMoney(MAX_PRICE)}.`],
  ],
};
const ORDER_RULES = {
  quantity: [
    [filled, "Enter a quantity."],
    [(quantity) => /^\d+$/.test(quantity), "Enter a whole number of items."],
    [
      (quantity) => Number(quantity) >= 1 && Number(quantity) <= MAX_QUANTITY,
      `Order from 1 to ${MAX_QUANTITY} items.`,
    ],
  ],
};

export function productsView({ api, user, signal }) {
  const notice = createNotice();
  const table = createPagedTable({
    caption: "Products",
    columns: [
      { label: "Name", cell: (product) => product.name },
      { label: "Price", cell: (product) => formatMoney(product.price), numeric: true },
      { label: "Updated", cell: (product) => timeCell(product.updated_at) },
      { label: "Actions", cell: (product) => h("div", { class: "row-actions" }, actionsFor(product)) },
    ],
    loadPage: (page) => api.listProducts(page),
    emptyText: () => (user.isAdmin ? "No products yet: add the first one." : "No products for sale yet."),
    signal,
  });
  const { report, run } = outcomeReporter(notice, table);

  function actionsFor(product) {
    if (!user.isAdmin) {
      return rowButton("Order", `Order ${product.name}`, () => orderProduct(product), "button--primary");
    }
    return [
      rowButton("Edit", `Edit ${product.name}`, () => editProduct(product)),
      rowButton(
        "Delete",
        `Delete ${product.name}`,
        (event) => deleteProduct(product, event.currentTarget),
        "button--danger",
      ),
    ];
  }

  function orderProduct(product) {
    // One key per distinct order in this dialog: resubmitting after a failure never orders twice.
    const keys = new Map();
    const total = h("p", { class: "order-total", "aria-live": "polite" });
    const showTotal = (quantity) => {
      const count = Number(quantity);
      total.textContent = Number.isInteger(count) && count > 0 ? `Total: ${formatMoney(product.price * count)}` : "";
    };
    openDialog({
      title: `Order ${product.name}`,
      body: (close) => {
        const { form, controls } = createForm({
          fields: [
            {
              name: "quantity",
              label: "Quantity",
              type: "number",
              value: "1",
              min: "1",
              max: String(MAX_QUANTITY),
              step: "1",
              inputmode: "numeric",
              hint: `From 1 to ${MAX_QUANTITY}.`,
            },
          ],
          submitLabel: "Place order",
          busyLabel: "Placing order…",
          extra: closeButton(close),
          onSubmit: async ({ quantity }) => {
            validate({ quantity }, ORDER_RULES);
            const request = { productId: product.product_id, quantity: Number(quantity) };
            const body = JSON.stringify(request);
            if (!keys.has(body)) keys.set(body, crypto.randomUUID());
            const order = await api.createOrder(request, keys.get(body));
            close();
            await report(
              h(
                "span",
                {},
                `Order placed: ${order.quantity} × ${order.product_name}, total ${formatMoney(order.total_price)}. `,
                h("a", { href: "#/orders" }, "See your orders"),
              ),
            );
          },
        });
        controls.quantity.input.addEventListener("input", (event) => showTotal(event.target.value));
        showTotal(1);
        return h("div", {}, h("p", {}, `Price: ${formatMoney(product.price)} each.`), total, form);
      },
    });
  }

  function editProduct(product) {
    openDialog({
      title: product ? `Edit ${product.name}` : "Add a product",
      body: (close) =>
        createForm({
          fields: [
            { name: "name", label: "Name", value: product?.name ?? "", maxlength: String(MAX_NAME_LENGTH), autocomplete: "off" },
            {
              name: "price",
              label: "Price",
              value: product ? String(product.price) : "",
              inputmode: "decimal",
              autocomplete: "off",
              hint: "More than 0 and up to 1,000,000, with at most 2 decimals (for example 12.50).",
            },
          ],
          submitLabel: product ? "Save changes" : "Add product",
          busyLabel: "Saving…",
          extra: closeButton(close),
          onSubmit: async (values) => {
            validate(values, PRODUCT_RULES);
            const saved = await api.saveProduct({
              ...(product ? { product_id: product.product_id } : {}),
              name: values.name,
              // A JSON number: the API keeps prices exact (Decimal), 2 decimals at most.
              price: Number(values.price),
            });
            close();
            await report(`${product ? "Saved" : "Added"} ${saved.name} at ${formatMoney(saved.price)}.`);
          },
        }).form,
    });
  }

  async function deleteProduct(product, trigger) {
    const confirmed = await confirmAction({
      title: `Delete ${product.name}?`,
      message: "Shoppers will no longer see it. Orders already placed keep its name and price.",
      confirmLabel: "Delete product",
      cancelLabel: "Keep it",
      danger: true,
    });
    if (confirmed) {
      await run(trigger, async () => {
        await api.deleteProduct(product.product_id);
        return `Deleted ${product.name}.`;
      });
    }
  }

  const addButton = user.isAdmin
    ? h("button", { type: "button", class: "button button--primary", onclick: () => editProduct(null) }, "Add product")
    : null;
  table.restart();
  return h("section", { class: "products" }, pageHeader("Products", addButton), notice.element, table.element);
}
