// The shop's REST API (api_gateway/openapi.yaml): every call carries the user's bearer token.

import { SessionExpiredError } from "./session.js";

export const PAGE_SIZE = 10;

// What a page says about a refusal. The API's own message is never shown: it is written for
// developers (ids, field names), and API Gateway's answers ("Missing Authentication Token"
// for a path it does not have) mean nothing to a shopper.
// A 409 that names an order's line quantities: stock ran short.
const STOCK_SHORT = "Not enough stock for this order.";
const MESSAGES = {
  400: "The shop could not accept this request: check what you entered.",
  403: "You are not allowed to do that.",
  404: "That item no longer exists.",
  409: "That could not be done as things are now: something changed meanwhile, or it clashes with what is there.",
  413: "That request is too large.",
  422: "The request refers to something that no longer exists.",
  429: "Too many requests at once: wait a moment and try again.",
};

/** A refused request: `fieldErrors` are the API's `errors[{field, message}]`, data for the
 * page to read (which line, which field), never text to show as it is. */
export class ApiError extends Error {
  constructor(status, message, fieldErrors = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fieldErrors = fieldErrors;
  }

  /** The errors about line `index` of an order's `lines` (`lines.<index>.quantity`, ...),
   * each named by the line's own field (`quantity`). */
  lineErrors(index) {
    const prefix = `lines.${index}.`;
    return this.fieldErrors
      .filter((error) => error.field.startsWith(prefix))
      .map((error) => ({ ...error, field: error.field.slice(prefix.length) }));
  }
}

export class ShopApi {
  constructor(baseUrl, session) {
    this.baseUrl = baseUrl;
    this.session = session;
  }

  /** One page of the catalogue (open: no token): by name, `sort: "newest"`, or `q`, a search;
   * `limit` items (PAGE_SIZE unless said). */
  listProducts({ cursor, sort, q, limit, signal } = {}) {
    return this.#page("/products", { cursor, sort, q, limit }, signal, { open: true });
  }

  /** One product (open: no token). */
  getProduct(productId, { signal } = {}) {
    return this.#request("GET", `/product/${encodeURIComponent(productId)}`, { signal, open: true });
  }

  /** A presigned upload for one picture: `{url, fields, image, max_bytes, ...}`. */
  createImageUpload(contentType) {
    return this.#request("POST", "/images", { body: { content_type: contentType } });
  }

  /** Posts `file` to a presigned upload; the storage checks its type and size. */
  async uploadImage(upload, file) {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append("file", file);
    const response = await guard(() => fetch(upload.url, { method: "POST", body: form }));
    if (!response.ok) {
      const text = await response.text();
      const tooLarge = text.includes("EntityTooLarge");
      throw new ApiError(
        response.status,
        tooLarge ? "The picture is over 2 MB." : "The picture was refused: use a JPEG, PNG or WebP file.",
        [{ field: "image", message: tooLarge ? "At most 2 MB." : "A JPEG, PNG or WebP picture." }],
      );
    }
    return upload.image;
  }

  /** Creates a product, or replaces the one with `product.product_id`. */
  saveProduct(product) {
    return this.#request("POST", "/product", { body: product });
  }

  deleteProduct(productId) {
    return this.#request("DELETE", `/product/${encodeURIComponent(productId)}`);
  }

  /** One page of orders (a shopper's own, or all for an admin, who may filter by status and
   * `customer`, a username); `limit` orders (PAGE_SIZE unless said). */
  listOrders({ cursor, status, customer, limit, signal } = {}) {
    return this.#page("/orders", { cursor, status, customer, limit }, signal);
  }

  /** Places one order of `lines` (`[{productId, quantity}]`, in this order: the API names a
   * refused line by its index) to `address`; a retry with the same `idempotencyKey` never
   * orders twice. */
  createOrder(lines, address, idempotencyKey) {
    return this.#request("POST", "/order", {
      body: { lines: lines.map(({ productId, quantity }) => ({ product_id: productId, quantity })), address },
      headers: { "Idempotency-Key": idempotencyKey },
    });
  }

  /** One order with its history (its owner or an admin). */
  getOrder(orderId, { signal } = {}) {
    return this.#request("GET", `/order/${encodeURIComponent(orderId)}`, { signal });
  }

  changeOrderStatus(orderId, status) {
    return this.#request("POST", "/order", { body: { order_id: orderId, status } });
  }

  /** Every partner (admin): tier, enabled, and requests today and this week; never a key. */
  async listPartners({ signal } = {}) {
    return { items: await this.#request("GET", "/partners", { signal }), nextCursor: null };
  }

  /** Creates a partner's API key in `tier`: the answer's `api_key` is shown this once. */
  createPartner({ name, tier }) {
    return this.#request("POST", "/partner", { body: { name, tier } });
  }

  /** `change`: {tier} and/or {enabled}. */
  changePartner(partnerId, change) {
    return this.#request("POST", `/partner/${encodeURIComponent(partnerId)}`, { body: change });
  }

  revokePartner(partnerId) {
    return this.#request("DELETE", `/partner/${encodeURIComponent(partnerId)}`);
  }

  /** One page of the vault's distributions in `state` (`active` or `deleted`). */
  listDistributions({ cursor, state, limit, signal } = {}) {
    return this.#page("/vault/distributions", { cursor, state, limit }, signal);
  }

  /** A distribution as last recorded: `{distribution, origins, behaviors, config, tags}`. */
  getDistribution(distributionId, { signal } = {}) {
    return this.#request("GET", vaultPath(distributionId), { signal });
  }

  /** One page of a distribution's versions, newest first. */
  listVersions(distributionId, { cursor, limit, signal } = {}) {
    return this.#page(vaultPath(distributionId, "/versions"), { cursor, limit }, signal);
  }

  /** `{patch, before, after}` from version `from` to `to` (a number or "current"). */
  diffVersions(distributionId, from, to, { signal } = {}) {
    return this.#request("GET", vaultPath(distributionId, "/diff"), { query: { from, to }, signal });
  }

  /** Records the configuration now: `{version, created}`. */
  captureVersion(distributionId, note) {
    return this.#request("POST", vaultPath(distributionId, "/versions"), { body: { note } });
  }

  /** Puts `version` back, unless the distribution's ETag is no longer `expectedEtag`. */
  rollback(distributionId, { version, expectedEtag, acknowledgeDrift = false }) {
    return this.#request("POST", vaultPath(distributionId, "/rollback"), {
      body: { version, expected_etag: expectedEtag, acknowledge_drift: acknowledgeDrift },
    });
  }

  /** Puts `version` of `distributionId` on `targetId`, unless its ETag is no longer `expectedEtag`. */
  copyVersion(distributionId, version, { targetId, expectedEtag, acknowledgeDrift = false }) {
    return this.#request("POST", vaultPath(distributionId, `/versions/${version}/copy`), {
      body: { target_id: targetId, expected_etag: expectedEtag, acknowledge_drift: acknowledgeDrift },
    });
  }

  /** A new distribution from `version` of `sourceId`: `{distribution_id, domain_name, aliases_left_out}`. */
  createFromVersion(sourceId, version) {
    return this.#request("POST", "/vault/distributions", { body: { source_id: sourceId, version } });
  }

  /** One page of the vault's audit trail, newest first (`distributionId`: its entries only). */
  listAudit({ cursor, limit, distributionId, signal } = {}) {
    return this.#page("/vault/audit", { cursor, limit, distribution_id: distributionId }, signal);
  }

  /** Each event's list of addresses: `{version_detected: [...], ...}`. */
  getNotifications({ signal } = {}) {
    return this.#request("GET", "/vault/notifications", { signal });
  }

  /** Replaces each event's list of addresses (admin). */
  setNotifications(lists) {
    return this.#request("POST", "/vault/notifications", { body: lists });
  }

  /** The detection schedules, the default hourly one first (one page: there are few). */
  async listSchedules({ signal } = {}) {
    return { items: await this.#request("GET", "/vault/schedules", { signal }), nextCursor: null };
  }

  /** A distribution's own schedule (admin): `{distribution_id, cron, active}`. */
  createSchedule(schedule) {
    return this.#request("POST", "/vault/schedules", { body: schedule });
  }

  /** A schedule's new cron, or `active` false (paused) or true (admin). */
  changeSchedule(scheduleId, change) {
    return this.#request("POST", `/vault/schedules/${encodeURIComponent(scheduleId)}`, { body: change });
  }

  deleteSchedule(scheduleId) {
    return this.#request("DELETE", `/vault/schedules/${encodeURIComponent(scheduleId)}`);
  }

  /** One page of the vault's users (admin): admins, then editors, then viewers. */
  listVaultUsers({ cursor, limit, signal } = {}) {
    return this.#page("/vault/users", { cursor, limit }, signal);
  }

  /** Invites a user in `role`: Cognito e-mails them a temporary password. */
  inviteVaultUser({ username, email, role }) {
    return this.#request("POST", "/vault/users", { body: { username, email, role } });
  }

  /** `{role}` changes the user's role; `{action: "reset_password"}` sends a new password. */
  changeVaultUser(username, change) {
    return this.#request("POST", `/vault/users/${encodeURIComponent(username)}`, { body: change });
  }

  removeVaultUser(username) {
    return this.#request("DELETE", `/vault/users/${encodeURIComponent(username)}`);
  }

  async #page(path, query, signal, { open = false } = {}) {
    const { body, response } = await this.#request("GET", path, {
      query: { ...query, limit: query.limit ?? PAGE_SIZE },
      signal,
      open,
      withResponse: true,
    });
    return { items: body, nextCursor: response.headers.get("X-Next-Cursor") };
  }

  async #request(method, path, { query, body, headers, signal, withResponse, open = false } = {}) {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(query || {})) {
      if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
    }
    // The open catalogue needs no token (and a visitor has none).
    const authorization = async () =>
      open ? {} : { Authorization: `Bearer ${await this.session.bearerToken()}` };
    const send = async () =>
      fetch(url, {
        method,
        signal,
        headers: {
          ...(await authorization()),
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let response = await guard(send);
    if (response.status === 401) {
      // The token may have been revoked or expired early: one refresh, one retry.
      await this.session.refresh();
      response = await guard(send);
      if (response.status === 401) {
        this.session.expire();
        throw new SessionExpiredError();
      }
    }
    const payload = await readJson(response);
    if (!response.ok) throw errorFrom(response.status, payload);
    return withResponse ? { body: payload, response } : payload;
  }
}

function vaultPath(distributionId, rest = "") {
  return `/vault/distributions/${encodeURIComponent(distributionId)}${rest}`;
}

async function guard(send) {
  try {
    return await send();
  } catch (error) {
    // fetch rejects with a TypeError when the network fails; anything else passes through.
    if (!(error instanceof TypeError)) throw error;
    throw new ApiError(0, "The shop could not be reached. Check your connection and try again.");
  }
}

async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function errorFrom(status, payload) {
  const fieldErrors = Array.isArray(payload?.errors)
    ? payload.errors.filter((error) => error && typeof error.field === "string" && typeof error.message === "string")
    : [];
  const stockShort = status === 409 && fieldErrors.some((error) => /^lines\.\d+\.quantity$/.test(error.field));
  const message = stockShort
    ? STOCK_SHORT
    : MESSAGES[status] || `The shop could not complete the request (HTTP ${status}). Try again in a moment.`;
  return new ApiError(status, message, fieldErrors);
}
