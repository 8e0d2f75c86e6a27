// Start-up and hash routing: loads config.json, keeps the header in step with the session,
// and sends the user to sign in (and back to where they were) when the session ends.

import { forgetAddress } from "./address.js";
import { ShopApi } from "./api.js";
import { Cart } from "./cart.js";
import { CognitoClient } from "./cognito.js";
import { loadConfig } from "./config.js";
import { h, replaceChildren } from "./dom.js";
import { capitalize, setCurrency } from "./format.js";
import { Session, SessionExpiredError } from "./session.js";
import { confirmView, forgotPasswordView, resetPasswordView, signInView, signUpView } from "./views/auth.js";
import { cartView } from "./views/cart.js";
import { homeView } from "./views/home.js";
import { orderView } from "./views/order.js";
import { ordersView } from "./views/orders.js";
import { partnersView } from "./views/partners.js";
import { productView } from "./views/product.js";
import { productsView } from "./views/products.js";
import { securityView } from "./views/security.js";
import { distributionsView, distributionView } from "./views/vault.js";
import { vaultAuditView } from "./views/vault-audit.js";
import { vaultSettingsView } from "./views/vault-notifications.js";
import { vaultUsersView } from "./views/vault-users.js";

const ROUTES = {
  "/": { title: "Home", view: homeView },
  "/products": { title: "Products", view: productsView },
  "/product": { title: "Product", view: productView },
  "/cart": { title: "Cart", view: cartView },
  "/orders": { title: "Orders", view: ordersView, signedIn: true },
  "/order": { title: "Order", view: orderView, signedIn: true },
  "/partners": { title: "Partners", view: partnersView, signedIn: true, admin: true },
  "/distributions": { title: "Distributions", view: distributionsView, signedIn: true, vault: true },
  "/distribution": { title: "Distribution", view: distributionView, signedIn: true, vault: true },
  "/vault-audit": { title: "Audit", view: vaultAuditView, signedIn: true, vault: true },
  "/vault-settings": { title: "Vault settings", view: vaultSettingsView, signedIn: true, vault: true },
  "/users": { title: "Users", view: vaultUsersView, signedIn: true, admin: true },
  "/sign-in": { title: "Sign in", view: signInView, account: true },
  "/sign-up": { title: "Create an account", view: signUpView, account: true },
  "/confirm": { title: "Confirm your e-mail", view: confirmView, account: true },
  "/forgot-password": { title: "Forgot your password?", view: forgotPasswordView, account: true },
  "/reset-password": { title: "Set a new password", view: resetPasswordView, account: true },
  "/security": { title: "Account security", view: securityView, signedIn: true },
};
const DEFAULT_AFTER_SIGN_IN = "/products";

const main = document.getElementById("main");
const account = document.getElementById("account");
// Shown above every page to an admin until they turn on two-step sign-in.
const mfaReminder = h(
  "div",
  { class: "reminder", role: "status", hidden: true, "data-mfa-reminder": true },
  h(
    "p",
    {},
    "Your admin account signs in with a password alone. ",
    h("a", { href: "#/security" }, "Turn on two-step sign-in"),
    " so that a stolen password is not enough to run the shop.",
  ),
);

function parseLocation() {
  const hash = location.hash.startsWith("#/") ? location.hash.slice(1) : "/";
  const queryStart = hash.indexOf("?");
  const path = queryStart === -1 ? hash : hash.slice(0, queryStart);
  const query = queryStart === -1 ? "" : hash.slice(queryStart + 1);
  return { path, params: new URLSearchParams(query), target: hash };
}

/** Where to go after signing in: a page of this app, never an address from elsewhere. */
function safeNext(target) {
  if (!target || !target.startsWith("/")) return DEFAULT_AFTER_SIGN_IN;
  const route = ROUTES[target.split("?")[0]];
  return route && !route.account ? target : DEFAULT_AFTER_SIGN_IN;
}

function start(config) {
  const cognito = new CognitoClient(config.cognitoEndpoint, config.clientId);
  const session = new Session(cognito);
  const api = new ShopApi(config.apiUrl, session);
  const cart = new Cart();
  cart.belongTo(session.user?.sub ?? null);
  setCurrency(config.currency);
  let navigation = null;
  let rendered = false;

  function redirect(target) {
    history.replaceState(null, "", `#${target}`);
    render();
  }

  function navigate(target) {
    if (location.hash === `#${target}`) render();
    else location.hash = target;
  }

  function render() {
    const { path, params, target } = parseLocation();
    const route = ROUTES[path];
    if (!route) return redirect("/");
    if (route.signedIn && !session.signedIn) {
      return redirect(`/sign-in?next=${encodeURIComponent(target)}`);
    }
    if (route.admin && !session.user?.isAdmin) return redirect("/");
    if (route.vault && !session.user?.vaultRole) return redirect("/");
    navigation?.abort();
    for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
    navigation = new AbortController();
    document.title = `${route.title} · Shop`;
    const context = { api, cart, cognito, session, user: session.user, params, navigate, signal: navigation.signal };
    replaceChildren(main, mfaReminder, route.view({ ...context, next: safeNext(params.get("next")) }));
    remindAdminOfMfa(session);
    showNavigation(path, session.user);
    showAccount(session, navigate);
    // Moving focus to the new heading tells keyboard and screen reader users the page changed.
    if (rendered) main.querySelector("h1")?.focus();
    rendered = true;
  }

  session.addEventListener("change", () => {
    cart.belongTo(session.user?.sub ?? null);
    showAccount(session, navigate);
    remindAdminOfMfa(session);
    showNavigation(parseLocation().path, session.user);
  });
  session.addEventListener("mfa", () => remindAdminOfMfa(session));
  // The next person at this browser must not find the cart of the one who signed out, their
  // delivery address, nor what this tab kept of their browsing (the lists' pages and searches).
  // An ended session keeps the account's cart and address, out of sight (each is the
  // account's own: another who signs in here finds theirs): its owner signs in again to go
  // on. A visitor's cart goes into the account they sign in to.
  session.addEventListener("signed-out", () => {
    forgetAddress(cart.owner);
    cart.clear();
    sessionStorage.clear();
  });
  session.addEventListener("expired", () => cart.belongTo(null));
  cart.addEventListener("change", () => showCartCount(cart));
  showCartCount(cart);
  session.addEventListener("expired", () => {
    const { path, target } = parseLocation();
    if (!ROUTES[path]?.account) redirect(`/sign-in?reason=expired&next=${encodeURIComponent(target)}`);
  });
  window.addEventListener("hashchange", render);
  // A link to the page already shown fires no hashchange: it shows the page afresh instead.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.('a[href^="#/"]');
    if (link && link.getAttribute("href") === location.hash) {
      event.preventDefault();
      render();
    }
  });
  // An ended session is already handled by the "expired" listener.
  window.addEventListener("unhandledrejection", (event) => {
    if (event.reason instanceof SessionExpiredError) event.preventDefault();
  });
  render();
}

function remindAdminOfMfa(session) {
  if (!session.user?.isAdmin) {
    mfaReminder.hidden = true;
    return;
  }
  session.mfaEnabled().then(
    (enabled) => {
      mfaReminder.hidden = enabled || !session.user?.isAdmin;
    },
    // Unknown (Cognito unreachable, session ended): asked again on the next page.
    () => {},
  );
}

function showCartCount(cart) {
  const count = cart.count;
  const badge = document.querySelector("[data-cart-count]");
  badge.textContent = count > 0 ? String(count) : "";
  badge.hidden = count === 0;
  badge.setAttribute("aria-label", `${count} ${count === 1 ? "item" : "items"}`);
}

function showNavigation(path, user) {
  // Admin pages are offered to admins only (the API refuses everybody else anyway).
  for (const item of document.querySelectorAll("[data-admin-only]")) item.hidden = !user?.isAdmin;
  for (const item of document.querySelectorAll("[data-vault-only]")) item.hidden = !user?.vaultRole;
  for (const link of document.querySelectorAll("[data-route]")) {
    if (link.dataset.route === path) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function showAccount(session, navigate) {
  const user = session.user;
  if (!user) {
    replaceChildren(account, h("a", { class: "button button--small", href: "#/sign-in" }, "Sign in"));
    return;
  }
  replaceChildren(
    account,
    h(
      "span",
      { class: "account__user" },
      h("span", { class: "account__name", title: user.username }, user.username),
      roleBadge(user),
    ),
    h("a", { class: "button button--small", href: "#/security" }, "Security"),
    h(
      "button",
      {
        type: "button",
        class: "button button--small",
        onclick: async () => {
          // Signed out here at once; Cognito's revocation follows.
          const revoked = session.signOut();
          navigate("/");
          try {
            await revoked;
          } catch {
            navigate("/sign-in?reason=not-revoked");
          }
        },
      },
      "Sign out",
    ),
  );
}

/** The user's role: the shop's admin, the vault's editor or viewer, or a shopper. */
function roleBadge(user) {
  const role = user.isAdmin ? "admin" : user.vaultRole || "shopper";
  return h("span", { class: `role role--${role}` }, capitalize(role));
}

document.querySelector("[data-skip-link]").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

loadConfig().then(start, (error) => {
  replaceChildren(
    main,
    h(
      "div",
      { class: "notice notice--error", role: "alert" },
      h("p", {}, "The shop cannot start."),
      h("p", {}, error.message),
    ),
  );
});
