// Home: what the shop offers this visitor, and the way in.

import { h } from "../dom.js";
import { pageHeader } from "./common.js";

const SHOPPER_CARDS = [
  { href: "#/products", title: "Products", text: "Browse the catalogue and order in the quantity you need." },
  { href: "#/orders", title: "Your orders", text: "Follow your orders, cancel one still pending, order again." },
];

const ADMIN_CARDS = [
  { href: "#/products", title: "Products", text: "Add, edit and delete the products for sale." },
  { href: "#/orders", title: "All orders", text: "See every order, filter by status, ship, deliver or cancel." },
];

const VAULT_CARD = { href: "#/distributions", title: "Config vault", text: "The CloudFront distributions' versions, changes and schedules." };

/** What the signed-in user is here: "an admin", or "a shopper" (and their vault role, if any). */
function roleText(user) {
  if (user.isAdmin) return "an admin";
  return user.vaultRole ? `a shopper and the config vault's ${user.vaultRole}` : "a shopper";
}

export function homeView({ user }) {
  if (!user) {
    return h(
      "section",
      { class: "home" },
      pageHeader("Welcome to Shop"),
      h("p", { class: "lead" }, "Browse the products, order in a few clicks and follow your orders to your door."),
      h(
        "div",
        { class: "cta" },
        h("a", { class: "button button--primary", href: "#/products" }, "Browse the products"),
        h("a", { class: "button", href: "#/sign-in" }, "Sign in"),
        h("a", { class: "button", href: "#/sign-up" }, "Create an account"),
      ),
    );
  }
  const cards = [...(user.isAdmin ? ADMIN_CARDS : SHOPPER_CARDS), user.vaultRole ? VAULT_CARD : null].filter(Boolean);
  return h(
    "section",
    { class: "home" },
    pageHeader(`Hello, ${user.username}`),
    h("p", { class: "lead" }, `You are signed in as ${roleText(user)}. What would you like to do?`),
    h(
      "ul",
      { class: "cards" },
      cards.map((card) =>
        h("li", { class: "card" }, h("a", { href: card.href }, h("h2", {}, card.title), h("p", {}, card.text))),
      ),
    ),
  );
}
