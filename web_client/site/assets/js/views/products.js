// Products: anyone browses the catalogue (by name, newest first, or a search); a shopper
// orders or fills the cart from it; an admin maintains it.

import { ApiError } from "../api.js";
import { confirmAction, openDialog } from "../dialog.js";
import { h, uniqueId } from "../dom.js";
import { formatMoney } from "../format.js";
import { createForm, filled, FormError, validate } from "../forms.js";
import { createPagedTable } from "../list.js";
import { closeButton, createNotice, outcomeReporter, pageHeader, rowButton, timeCell } from "./common.js";
import { lineErrorMessage } from "./order.js";

// The limits of the API contract (api_gateway/openapi.yaml), checked before sending so the
// user learns at once, beside the field, what the API would refuse.
const MAX_NAME_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 2000;
const MAX_PRICE = 1_000_000;
const MAX_QUANTITY = 1000;
const MAX_STOCK = 1_000_000_000;
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"];
const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
const SEARCH_DELAY_MS = 300;
const PRICE_RULES = [
  [filled, "Enter a price."],
  [(price) => /^\d+(\.\d+)?$/.test(price), "Enter the price as a number, for example 12.50."],
  [(price) => /^\d+(\.\d{1,2})?$/.test(price), "Use at most 2 decimals, for example 12.50."],
  [(price) => Number(price) > 0, "The price must be more than 0."],
  [(price) => Number(price) <= MAX_PRICE, `The price can be at most ${MAX_PRICE.toLocaleString()}.`],
];
const STOCK_RULES = [
  [(stock) => stock === "" || /^\d+$/.test(stock), "Enter a whole number of items, or leave it empty."],
  [(stock) => stock === "" || Number(stock) <= MAX_STOCK, `At most ${MAX_STOCK.toLocaleString()}.`],
];

/** A text's length rule, whose message says how long the text is (nothing is cut silently). */
function lengthRule(limit, text) {
  return [
    (value) => value.length <= limit,
    `Use at most ${limit.toLocaleString()} characters: this one has ${text.length.toLocaleString()}.`,
  ];
}

function validateProduct(values) {
  validate(values, {
    name: [[filled, "Enter a name."], lengthRule(MAX_NAME_LENGTH, values.name)],
    price: PRICE_RULES,
    description: [lengthRule(MAX_DESCRIPTION_LENGTH, values.description)],
    stock: STOCK_RULES,
  });
}

export const QUANTITY_RULES = {
  quantity: [
    [filled, "Enter a quantity."],
    [(quantity) => /^\d+$/.test(quantity), "Enter a whole number of items."],
    [
      (quantity) => Number(quantity) >= 1 && Number(quantity) <= MAX_QUANTITY,
      `Order from 1 to ${MAX_QUANTITY} items.`,
    ],
  ],
};

/** The quantity field of the order dialog and the product page. */
export const QUANTITY_FIELD = {
  name: "quantity",
  label: "Quantity",
  type: "number",
  value: "1",
  min: "1",
  max: String(MAX_QUANTITY),
  step: "1",
  inputmode: "numeric",
  hint: `From 1 to ${MAX_QUANTITY}.`,
};

/** A quantity the rules accept, or null. */
export function validQuantity(text) {
  const count = Number(text);
  return /^\d+$/.test(text) && count >= 1 && count <= MAX_QUANTITY ? count : null;
}

export function stockLabel(product) {
  if (product.stock === null || product.stock === undefined) return "";
  return product.stock === 0 ? "Out of stock" : `${product.stock.toLocaleString()} in stock`;
}

export function isOutOfStock(product) {
  return product.stock === 0;
}

export function productImage(product, size = "thumb") {
  return product.image
    ? h("img", { class: `product-image product-image--${size}`, src: product.image, alt: "", loading: "lazy" })
    : h("span", { class: `product-image product-image--${size} product-image--none`, "aria-hidden": "true" });
}

export function productsView({ api, cart, user, params, navigate, signal }) {
  const notice = createNotice();
  let sort = params.get("sort") === "newest" ? "newest" : "name";
  let search = params.get("q") ?? "";
  const table = createPagedTable({
    caption: "Products",
    columns: [
      {
        label: "Name",
        cell: (product) =>
          h(
            "div",
            { class: "product-cell" },
            productImage(product),
            h("a", { class: "product-name", href: `#/product?id=${encodeURIComponent(product.product_id)}` }, product.name),
          ),
      },
      { label: "Price", cell: (product) => formatMoney(product.price), numeric: true },
      { label: "Stock", cell: (product) => stockCell(product) },
      user?.isAdmin ? { label: "Updated", cell: (product) => timeCell(product.updated_at) } : null,
      { label: "Actions", cell: (product) => h("div", { class: "row-actions" }, actionsFor(product)) },
    ].filter(Boolean),
    loadPage: (page) => api.listProducts({ ...page, sort: search ? undefined : sort, q: search || undefined }),
    emptyText: () => {
      if (search) return `No product's name starts with “${search}”.`;
      return user?.isAdmin ? "No products yet: add the first one." : "No products for sale yet.";
    },
    signal,
  });
  const { report, run } = outcomeReporter(notice, table);

  function stockCell(product) {
    const label = stockLabel(product);
    return label ? h("span", { class: isOutOfStock(product) ? "stock stock--out" : "stock" }, label) : "";
  }

  function actionsFor(product) {
    if (user?.isAdmin) {
      return [
        rowButton("Edit", `Edit ${product.name}`, () => editProduct(product)),
        rowButton("Delete", `Delete ${product.name}`, (event) => deleteProduct(product, event.currentTarget), "button--danger"),
      ];
    }
    const add = rowButton("Add to cart", `Add ${product.name} to the cart`, () => {
      cart.add(product, 1);
      notice.show(h("span", {}, `Added ${product.name} to your cart. `, h("a", { href: "#/cart" }, "See your cart")));
    });
    add.disabled = isOutOfStock(product);
    if (!user) return add;
    const order = rowButton("Order", `Order ${product.name}`, () => orderProduct(product), "button--primary");
    order.disabled = isOutOfStock(product);
    return [order, add];
  }

  function orderProduct(product) {
    // One key per distinct order in this dialog: resubmitting after a failure never orders twice.
    const keys = new Map();
    const total = h("p", { class: "order-total", "aria-live": "polite" });
    const showTotal = (quantity) => {
      // A quantity the API would refuse has no total.
      const count = validQuantity(quantity);
      total.textContent = count ? `Total: ${formatMoney(product.price * count)}` : "";
    };
    let placing = false;
    openDialog({
      title: `Order ${product.name}`,
      body: (close) => {
        const { form, controls } = createForm({
          fields: [QUANTITY_FIELD],
          submitLabel: "Place order",
          busyLabel: "Placing order…",
          extra: closeButton(close),
          onSubmit: async ({ quantity }) => {
            validate({ quantity }, QUANTITY_RULES);
            const request = { productId: product.product_id, quantity: Number(quantity) };
            const body = JSON.stringify(request);
            if (!keys.has(body)) keys.set(body, crypto.randomUUID());
            placing = true;
            try {
              const order = await api.createOrder([request], keys.get(body)).catch((error) => {
                throw error instanceof ApiError ? asDialogError(error) : error;
              });
              const [line] = order.lines;
              close();
              await report(
                h(
                  "span",
                  {},
                  `Order placed: ${line.quantity} × ${line.product_name}, total ${formatMoney(order.total_price, order.currency)}. `,
                  h("a", { href: `#/order?id=${encodeURIComponent(order.order_id)}` }, "See the order"),
                ),
              );
            } finally {
              placing = false;
            }
          },
        });
        // Escape while the order is being placed would hide an order that still goes through:
        // the dialog stays until the answer.
        queueMicrotask(() =>
          form.closest("dialog")?.addEventListener("cancel", (event) => {
            if (placing) event.preventDefault();
          }),
        );
        controls.quantity.input.addEventListener("input", (event) => showTotal(event.target.value));
        showTotal("1");
        return h("div", {}, h("p", {}, `Price: ${formatMoney(product.price)} each.`), total, form);
      },
    });
  }

  function editProduct(product) {
    openDialog({
      title: product ? `Edit ${product.name}` : "Add a product",
      body: (close) => {
        const { form, controls } = createForm({
          fields: [
            { name: "name", label: "Name", value: product?.name ?? "", autocomplete: "off", hint: `Up to ${MAX_NAME_LENGTH} characters.` },
            {
              name: "price",
              label: "Price",
              value: product ? String(product.price) : "",
              inputmode: "decimal",
              autocomplete: "off",
              hint: "More than 0 and up to 1,000,000, with at most 2 decimals (for example 12.50).",
            },
            {
              name: "description",
              label: "Description",
              type: "textarea",
              value: product?.description ?? "",
              hint: `Plain text, up to ${MAX_DESCRIPTION_LENGTH.toLocaleString()} characters.`,
            },
            {
              name: "stock",
              label: "Stock",
              value: product?.stock === null || product?.stock === undefined ? "" : String(product.stock),
              inputmode: "numeric",
              autocomplete: "off",
              hint: "Items for sale; leave empty not to track stock.",
            },
            {
              name: "image",
              label: "Picture",
              type: "file",
              accept: IMAGE_TYPES.join(","),
              hint: "A JPEG, PNG or WebP picture of at most 2 MB.",
            },
          ],
          submitLabel: product ? "Save changes" : "Add product",
          busyLabel: "Saving…",
          extra: closeButton(close),
          onSubmit: async (values) => {
            validateProduct(values);
            const file = controls.image.input.files[0];
            checkPicture(file);
            const image = file ? await api.uploadImage(await api.createImageUpload(file.type), file) : undefined;
            const saved = await api.saveProduct({
              ...(product ? { product_id: product.product_id, expected_stock: product.stock ?? null } : {}),
              name: values.name,
              // A JSON number: the API keeps prices exact (Decimal), 2 decimals at most.
              price: Number(values.price),
              description: values.description,
              stock: values.stock === "" ? null : Number(values.stock),
              ...(image ? { image } : {}),
            });
            close();
            if (!product) {
              // The newest first, so that the product just added is at the top.
              sort = "newest";
              search = "";
              sortSelect.value = sort;
              searchInput.value = "";
              keepInAddress();
              await table.restart();
            }
            await report(`${product ? "Saved" : "Added"} ${saved.name} at ${formatMoney(saved.price)}.`);
          },
        });
        return form;
      },
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

  function keepInAddress() {
    const query = new URLSearchParams();
    if (search) query.set("q", search);
    else if (sort !== "name") query.set("sort", sort);
    const text = query.toString();
    history.replaceState(null, "", text ? `#/products?${text}` : "#/products");
  }

  const searchId = uniqueId("search");
  let searchTimer = null;
  const searchInput = h("input", {
    id: searchId,
    type: "search",
    value: search,
    autocomplete: "off",
    placeholder: "Name starts with…",
    oninput: () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        search = searchInput.value.trim();
        sortSelect.disabled = Boolean(search);
        notice.clear();
        keepInAddress();
        table.restart();
      }, SEARCH_DELAY_MS);
    },
  });
  const sortId = uniqueId("sort");
  const sortSelect = h(
    "select",
    {
      id: sortId,
      disabled: Boolean(search),
      onchange: () => {
        sort = sortSelect.value;
        notice.clear();
        keepInAddress();
        table.restart();
      },
    },
    h("option", { value: "name", selected: sort === "name" }, "Name"),
    h("option", { value: "newest", selected: sort === "newest" }, "Newest first"),
  );
  const tools = h(
    "div",
    { class: "catalogue-tools" },
    h("div", { class: "filter" }, h("label", { for: searchId }, "Search"), searchInput),
    h("div", { class: "filter" }, h("label", { for: sortId }, "Sort by"), sortSelect),
  );
  const addButton = user?.isAdmin
    ? h("button", { type: "button", class: "button button--primary", onclick: () => editProduct(null) }, "Add product")
    : null;
  table.restart();
  return h("section", { class: "products" }, pageHeader("Products", addButton), tools, notice.element, table.element);
}

function checkPicture(file) {
  if (!file) return;
  if (!IMAGE_TYPES.includes(file.type)) {
    throw new FormError("Check the field marked below.", [{ field: "image", message: "Choose a JPEG, PNG or WebP picture." }]);
  }
  if (file.size > IMAGE_MAX_BYTES) {
    throw new FormError("Check the field marked below.", [{ field: "image", message: "Choose a picture of at most 2 MB." }]);
  }
}

/** The API's answer about the dialog's one line (`lines.0.quantity`: "only 2 left") as the
 * dialog shows it: beside the quantity, or above it when about the product. */
function asDialogError(error) {
  const fieldErrors = error.lineErrors(0).map((fieldError) => ({
    field: fieldError.field === "quantity" ? "quantity" : "body",
    message: lineErrorMessage(error, fieldError),
  }));
  return new ApiError(error.status, error.message, fieldErrors);
}
