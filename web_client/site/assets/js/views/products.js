// Products: anyone browses the catalogue (by name, newest first, or a search); a shopper
// orders or fills the cart from it; an admin maintains it.

import { addressField, addressFields, addressOf, savedAddress, saveAddress, validateAddress } from "../address.js";
import { ApiError } from "../api.js";
import { confirmAction, openDialog } from "../dialog.js";
import { h, uniqueId } from "../dom.js";
import { formatMoney } from "../format.js";
import { createForm, filled, FormError, validate } from "../forms.js";
import { createPagedTable } from "../list.js";
import { closeButton, createNotice, keepInAddress, outcomeReporter, pageHeader, rowButton, timeCell } from "./common.js";
import {
  characters,
  IMAGE_MAX_BYTES,
  IMAGE_TYPES,
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PRICE,
  MAX_QUANTITY,
  MAX_PAGE_SIZE,
  MAX_STOCK,
  PRICE_DECIMALS,
} from "../limits.js";
import { maxQuantity } from "../cart.js";
import { lineErrorMessage } from "./order.js";

const SEARCH_DELAY_MS = 300;
const PRICE_RULES = [
  [filled, "Enter a price."],
  [(price) => !/^\s*-/.test(price), "The price must be more than 0."],
  [(price) => /^\d+(\.\d+)?$/.test(price), "Enter the price as a number, for example 12.50."],
  [(price) => new RegExp(`^\\d+(\\.\\d{1,${PRICE_DECIMALS}})?$`).test(price), `Use at most ${PRICE_DECIMALS} decimals, for example 12.50.`],
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
    (value) => characters(value) <= limit,
    `Use at most ${limit.toLocaleString()} characters: this one has ${characters(text).toLocaleString()}.`,
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

/** The rules of a quantity of at most `max` (MAX_QUANTITY, or fewer in stock). */
export function quantityRules(max = MAX_QUANTITY) {
  return {
    quantity: [
      [filled, "Enter a quantity."],
      [(quantity) => /^\d+$/.test(quantity), "Enter a whole number of items."],
      [(quantity) => Number(quantity) >= 1 && Number(quantity) <= max, quantityRangeText(max)],
    ],
  };
}

/** What a quantity outside 1 to `max` is told (MAX_QUANTITY, or fewer in stock). */
export function quantityRangeText(max) {
  return max < MAX_QUANTITY ? `Order from 1 to ${max.toLocaleString()}: ${max.toLocaleString()} in stock.` : `Order from 1 to ${max} items.`;
}

/** The quantity field of the order dialog and the product page, of at most `max`. */
export function quantityField(max = MAX_QUANTITY) {
  return {
    name: "quantity",
    label: "Quantity",
    type: "number",
    value: "1",
    min: "1",
    max: String(max),
    step: "1",
    inputmode: "numeric",
    hint: max === 1 ? "Only 1 left." : `From 1 to ${max.toLocaleString()}.`,
  };
}

/** A quantity the rules of at most `max` accept, or null. */
export function validQuantity(text, max = MAX_QUANTITY) {
  const count = Number(text);
  return /^\d+$/.test(text) && count >= 1 && count <= max ? count : null;
}

/** What adding `wanted` of `product` to the cart did, when the cart took `added` (fewer:
 * the line reached the most one order may hold). */
export function addedText(product, wanted, added) {
  if (added === wanted) return `Added ${wanted} × ${product.name} to your cart.`;
  const most = maxQuantity(product).toLocaleString();
  if (added === 0) return `Your cart already holds the most of ${product.name} one order may have (${most}).`;
  return `Added ${added} × ${product.name} to your cart: it now holds the most one order may have (${most}).`;
}

export function stockLabel(product) {
  if (product.stock === null || product.stock === undefined) return "";
  return product.stock === 0 ? "Out of stock" : `${product.stock.toLocaleString()} in stock`;
}

export function isOutOfStock(product) {
  return product.stock === 0;
}

/** A product's picture, or a drawing of one where it has none. A thumbnail beside the
 * product's name says nothing more (alt ""); the large picture on its own page is named. */
export function productImage(product, size = "thumb") {
  const large = size === "large";
  if (product.image) {
    return h("img", { class: `product-image product-image--${size}`, src: product.image, alt: large ? product.name : "", loading: "lazy" });
  }
  const placeholder = `product-image product-image--${size} product-image--none`;
  return large
    ? h("span", { class: placeholder, role: "img", "aria-label": `No picture of ${product.name}` }, h("span", { "aria-hidden": "true" }, "No picture"))
    : h("span", { class: placeholder, "aria-hidden": "true" });
}

// The address of the Products page last shown in this tab (its sort, search and page), for
// the way back from a product's page.
const LIST_ADDRESS_KEY = "shop.products.address";

/** Where "Back to the products" leads: the list as it was last shown in this tab. */
/** The product as the shop sells it now, or null if it is no longer for sale (any other
 * failure stands). */
export function productOnSale(api, productId) {
  return api.getProduct(productId).catch((error) => {
    if (error.status === 404) return null;
    throw error;
  });
}

export function productsAddress() {
  const address = sessionStorage.getItem(LIST_ADDRESS_KEY) ?? "";
  return /^#\/products(\?|$)/.test(address) ? address : "#/products";
}

export function productsView({ api, cart, user, params, navigate, signal }) {
  const notice = createNotice();
  let sort = params.get("sort") === "newest" ? "newest" : "name";
  let search = params.get("q") ?? "";
  // The page shown (0: the first), kept in the address as its number (1: the first).
  let page = /^[1-9]\d{0,5}$/.test(params.get("page") ?? "") ? Number(params.get("page")) - 1 : 0;
  const listing = () => ({ sort: search ? undefined : sort, q: search || undefined });
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
    loadPage: (request) =>
      api.listProducts({ ...request, ...listing() }).catch((error) => {
        const searchRefused = error.status === 400 && error.fieldErrors.some(({ field }) => field === "q");
        if (searchRefused) throw new Error("Search for a word of the product's name: letters or digits, at most 200 characters.");
        throw error;
      }),
    countAhead: async ({ cursor, signal: aborted }) => {
      const ahead = await api.listProducts({ cursor, ...listing(), limit: MAX_PAGE_SIZE, signal: aborted });
      return { items: ahead.items.length, more: Boolean(ahead.nextCursor) };
    },
    trail: () => (search ? `products/search/${search}` : `products/${sort}`),
    onPage: (shown, { turned }) => {
      page = shown;
      keepListing({ newEntry: turned });
    },
    emptyText: () => {
      if (search) return `No product's name has words starting with “${search}”.`;
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
      const added = cart.add(product, 1);
      notice.show(h("span", {}, added === 1 ? `Added ${product.name} to your cart.` : addedText(product, 1, added), " ", h("a", { href: "#/cart" }, "See your cart")));
    });
    add.disabled = isOutOfStock(product);
    if (!user) return add;
    const order = rowButton("Order", `Order ${product.name}`, () => orderProduct(product), "button--primary");
    order.disabled = isOutOfStock(product);
    return [order, add];
  }

  function orderProduct(product) {
    // At most what one order may hold: the stock, at most MAX_QUANTITY (as on the product's page).
    const max = maxQuantity(product);
    // One key per distinct order in this dialog: resubmitting after a failure never orders twice.
    const keys = new Map();
    // The price shown: the list's, or the one the shop sells at now if it changed meanwhile.
    let price = product.price;
    const priceLine = h("p", {}, `Price: ${formatMoney(price)} each.`);
    const total = h("p", { class: "order-total", "aria-live": "polite" });
    const showTotal = (quantity) => {
      // A quantity the API would refuse has no total.
      const count = validQuantity(quantity, max);
      total.textContent = count ? `Total: ${formatMoney(price * count)}` : "";
    };
    /** Refuses to order at a price that is not the one shown: the new one is shown instead
     * (a product gone is left for the order to refuse, saying so). */
    async function requireShownPrice(quantity) {
      const now = (await productOnSale(api, product.product_id))?.price ?? price;
      if (Number(now) === Number(price)) return;
      const was = price;
      price = now;
      priceLine.textContent = `Price: ${formatMoney(price)} each.`;
      showTotal(quantity);
      throw new FormError(`The price is now ${formatMoney(now)} (it was ${formatMoney(was)}): nothing was ordered. Check the total, then place the order again.`);
    }
    let placing = false;
    openDialog({
      title: `Order ${product.name}`,
      body: (close) => {
        const { form, controls } = createForm({
          fields: [quantityField(max), ...addressFields(savedAddress(user.sub))],
          submitLabel: "Place order",
          busyLabel: "Placing order…",
          extra: closeButton(close),
          onSubmit: async (values) => {
            validate(values, quantityRules(max));
            validateAddress(values);
            await requireShownPrice(values.quantity);
            const request = { productId: product.product_id, quantity: Number(values.quantity) };
            const address = addressOf(values);
            const body = JSON.stringify([request, address]);
            if (!keys.has(body)) keys.set(body, crypto.randomUUID());
            placing = true;
            try {
              const order = await api.createOrder([request], address, keys.get(body)).catch((error) => {
                throw error instanceof ApiError ? asDialogError(error) : error;
              });
              saveAddress(user.sub, address);
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
        return h("div", {}, priceLine, total, form);
      },
    });
  }

  function editProduct(product) {
    // The stock this edit is based on: the one read, then the one a conflict showed.
    let expectedStock = product?.stock ?? null;
    openDialog({
      title: product ? `Edit ${product.name}` : "Add a product",
      body: (close) => {
        const { form, controls } = createForm({
          fields: [
            { name: "name", label: "Name", value: product?.name ?? "", autocomplete: "off", hint: `Up to ${MAX_NAME_LENGTH} characters.` },
            {
              name: "price",
              label: "Price",
              value: product ? Number(product.price).toFixed(PRICE_DECIMALS) : "",
              inputmode: "decimal",
              autocomplete: "off",
              hint: `More than 0 and up to ${MAX_PRICE.toLocaleString()}, with at most ${PRICE_DECIMALS} decimals (for example 12.50).`,
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
            await checkPicture(file);
            const image = file ? await api.uploadImage(await api.createImageUpload(file.type), file) : undefined;
            const saved = await api
              .saveProduct({
                ...(product ? { product_id: product.product_id, expected_stock: expectedStock } : {}),
                name: values.name,
                // A JSON number: the API keeps prices exact (Decimal), 2 decimals at most.
                price: Number(values.price),
                description: values.description,
                stock: values.stock === "" ? null : Number(values.stock),
                ...(image ? { image } : {}),
              })
              .catch(async (error) => {
                if (!(product && error.status === 409)) throw error;
                // Orders took stock (or another admin changed it) since the dialog opened:
                // the next Save is based on the stock as it is now.
                expectedStock = (await api.getProduct(product.product_id)).stock ?? null;
                throw stockConflict(expectedStock, values.stock);
              });
            close();
            if (!product) {
              // The newest first, so that the product just added is at the top.
              sort = "newest";
              search = "";
              sortSelect.value = sort;
              searchInput.value = "";
              page = 0;
              keepListing();
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

  /** The listing shown, in the address and for the way back from a product. */
  function keepListing({ newEntry = false } = {}) {
    const query = new URLSearchParams();
    if (search) query.set("q", search);
    else if (sort !== "name") query.set("sort", sort);
    if (page > 0) query.set("page", String(page + 1));
    const text = query.toString();
    const address = text ? `#/products?${text}` : "#/products";
    sessionStorage.setItem(LIST_ADDRESS_KEY, address);
    // Only while this page is the one shown (a late answer must not rewrite another page's).
    if (section.isConnected) keepInAddress(address, { newEntry });
  }

  const searchId = uniqueId("search");
  let searchTimer = null;
  const searchInput = h("input", {
    id: searchId,
    type: "search",
    value: search,
    autocomplete: "off",
    placeholder: "Any word of the name…",
    oninput: () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        search = searchInput.value.trim();
        sortSelect.disabled = Boolean(search);
        notice.clear();
        page = 0;
        keepListing();
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
        page = 0;
        keepListing();
        table.restart();
      },
    },
    h("option", { value: "name", selected: sort === "name" }, "Name"),
    h("option", { value: "newest", selected: sort === "newest" }, "Newest first"),
  );
  const tools = h(
    "div",
    { class: "list-tools" },
    h("div", { class: "filter" }, h("label", { for: searchId }, "Search"), searchInput),
    h("div", { class: "filter" }, h("label", { for: sortId }, "Sort by"), sortSelect),
  );
  const addButton = user?.isAdmin
    ? h("button", { type: "button", class: "button button--primary", onclick: () => editProduct(null) }, "Add product")
    : null;
  const section = h("section", { class: "products" }, pageHeader("Products", addButton), tools, notice.element, table.element);
  table.restart(page);
  return section;
}

/** The stock changed under the admin's edit: what it is now, and what Save will do now. */
function stockConflict(stockNow, wanted) {
  const now = stockNow === null ? "not tracked" : `${stockNow.toLocaleString()} in stock`;
  const then = wanted === "" ? "stop tracking the stock" : `set the stock to ${Number(wanted).toLocaleString()}`;
  return new FormError(`The stock changed while you were editing (orders take stock as they are placed): it is now ${now}. Save again to ${then}, or change the figure first.`, [
    { field: "stock", message: `Now ${now}.` },
  ]);
}

// How each picture type's file starts (the browser's `file.type` comes from its name only).
const PICTURE_SIGNATURES = {
  "image/jpeg": (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff,
  "image/png": (bytes) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, index) => bytes[index] === byte),
  "image/webp": (bytes) => ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP",
};

const ascii = (bytes, start, end) => String.fromCharCode(...bytes.slice(start, end));

async function checkPicture(file) {
  if (!file) return;
  const refused = (message) => new FormError("Check the field marked below.", [{ field: "image", message }]);
  if (!IMAGE_TYPES.includes(file.type)) throw refused("Choose a JPEG, PNG or WebP picture.");
  if (file.size > IMAGE_MAX_BYTES) throw refused("Choose a picture of at most 2 MB.");
  const start = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  if (!PICTURE_SIGNATURES[file.type]?.(start)) throw refused("This file is not the picture its name says: choose a JPEG, PNG or WebP picture.");
  // The whole file, decoded as the shop's pages will show it: a picture's first bytes followed
  // by anything else would be served as that picture and shown broken.
  try {
    (await createImageBitmap(file)).close();
  } catch {
    throw refused("This picture is damaged or incomplete: choose another.");
  }
}

/** The API's answer about the dialog's one line (`lines.0.quantity`: "only 2 left") as the
 * dialog shows it: beside the quantity, or above it when about the product; and about the
 * address, beside its fields. */
function asDialogError(error) {
  const lineErrors = error.lineErrors(0).map((fieldError) => ({
    field: fieldError.field === "quantity" ? "quantity" : "body",
    message: lineErrorMessage(error, fieldError),
  }));
  const addressErrors = error.fieldErrors
    .map((fieldError) => addressField(fieldError.field))
    .filter(Boolean)
    .map((field) => ({ field, message: "The shop refused this: check it." }));
  return new FormError(error.message, [...lineErrors, ...addressErrors]);
}
