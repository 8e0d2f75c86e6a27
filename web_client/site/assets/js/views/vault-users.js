// Users (admin): the config vault's users, each with one role (admin, editor or viewer). The
// admin invites a user (Cognito e-mails a temporary password), changes a role (a demoted user
// is signed out everywhere), sends a new password, and removes a user after confirming (an
// account the vault invited is deleted, a shopper's keeps shopping without the role).

import { ApiError } from "../api.js";
import { confirmAction, openDialog } from "../dialog.js";
import { h } from "../dom.js";
import { capitalize } from "../format.js";
import { createForm, filled, FormError, validate } from "../forms.js";
import { createPagedTable } from "../list.js";
import { closeButton, createNotice, outcomeReporter, pageHeader, rowButton, timeCell } from "./common.js";

const ROLES = ["admin", "editor", "viewer"];
// What each role may do, as a role change's confirmation says it.
const ROLE_RIGHTS = {
  admin: "An admin runs the whole shop: products, every order, partners, and the vault with its users and settings.",
  editor: "An editor captures, rolls back and copies the distributions' versions, and creates distributions from them.",
  viewer: "A viewer reads the distributions, their versions and the audit trail, and changes nothing.",
};
const ROLE_OPTIONS = [
  { value: "viewer", label: "Viewer: reads versions and differences" },
  { value: "editor", label: "Editor: also captures, rolls back, copies and creates" },
  { value: "admin", label: "Admin: also manages users (and is the shop's admin)" },
];
// Cognito's status of a user who has not replaced the invitation's temporary password.
const STATUS_TEXT = {
  FORCE_CHANGE_PASSWORD: "Invited",
  CONFIRMED: "Active",
  RESET_REQUIRED: "Password reset sent",
};
// The API's field message when a change would leave the vault without an admin.
const ONLY_ADMIN = "the vault's only admin";
const LAST_ADMIN_TEXT = "The last admin can be neither removed nor demoted: make another user admin first.";
const REFUSED_TEXT = "Cognito refused this change for this user (a new password needs a verified e-mail address).";

// The start of the API's message when Cognito refused the change.
const COGNITO_REFUSED = "Cognito refused";

/** `call`, its 409 said in the page's words: the last admin, or Cognito's refusal; any
 * other (a change of the user under way, another admin's change meanwhile) as every 409. */
async function explained(call) {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409) throw error;
    if (error.fieldErrors.some((field) => field.message === ONLY_ADMIN)) {
      throw new ApiError(409, LAST_ADMIN_TEXT, error.fieldErrors);
    }
    if (error.message.startsWith(COGNITO_REFUSED)) throw new ApiError(409, REFUSED_TEXT, error.fieldErrors);
    throw error;
  }
}

const INVITE_RULES = {
  username: [
    [filled, "Enter a username."],
    [(name) => /^[\w.@+-]{1,128}$/.test(name), "Use letters, digits and . @ + - _ only (at most 128)."],
  ],
  email: [[(email) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()), "Enter an e-mail address."]],
};

export function vaultUsersView({ api, user, signal }) {
  const notice = createNotice();
  const table = createPagedTable({
    caption: "Vault users",
    columns: [
      { label: "Username", cell: (member) => member.username },
      { label: "E-mail", cell: (member) => member.email || "" },
      { label: "Role", cell: (member) => capitalize(member.role || ""), word: true },
      { label: "Status", cell: (member) => statusText(member), word: true },
      { label: "Created", cell: (member) => timeCell(member.created) },
      { label: "Actions", cell: (member) => h("div", { class: "row-actions" }, actionsFor(member)) },
    ],
    loadPage: (page) => api.listVaultUsers(page),
    emptyText: () => "No vault users yet: invite the first one.",
    signal,
  });
  const { run } = outcomeReporter(notice, table);

  function statusText(member) {
    const status = STATUS_TEXT[member.status] || member.status;
    return member.enabled ? status : `${status} (disabled)`;
  }

  function actionsFor(member) {
    const others = ROLES.filter((role) => role !== member.role);
    return [
      ...others.map((role) => {
        const demoted = ROLES.indexOf(role) > ROLES.indexOf(member.role);
        return rowButton(`Make ${role}`, `Make ${member.username} ${role}`, (event) =>
          confirmThenRun(event.currentTarget, {
            title: `Make ${member.username} ${role}?`,
            message: `${ROLE_RIGHTS[role]}${demoted ? ` ${member.username} is signed out everywhere.` : ""}`,
            confirmLabel: `Make ${role}`,
            action: async () => {
              await explained(() => api.changeVaultUser(member.username, { role }));
              return `${member.username} is now ${role}.${demoted ? " They were signed out everywhere." : ""}`;
            },
          }),
        );
      }),
      rowButton("Reset password", `Reset ${member.username}'s password`, (event) => {
        const invited = member.status === "FORCE_CHANGE_PASSWORD";
        confirmThenRun(event.currentTarget, {
          title: `Reset ${member.username}'s password?`,
          message: invited
            ? `${member.username} is sent the invitation again, with a new temporary password: the one sent before no longer works.`
            : `${member.username} is signed out everywhere and sent a code to choose a new password.`,
          confirmLabel: "Reset password",
          action: async () => {
            await explained(() => api.changeVaultUser(member.username, { action: "reset_password" }));
            return invited
              ? `${member.username} was sent the invitation again, with a new temporary password.`
              : `${member.username} was sent a code to choose a new password, and signed out everywhere.`;
          },
        });
      }),
      rowButton("Remove", `Remove ${member.username}`, (event) => remove(member, event.currentTarget), "button--danger"),
    ];
  }

  function invite() {
    openDialog({
      title: "Invite a user",
      body: (close) =>
        createForm({
          fields: [
            { name: "username", label: "Username", maxlength: "128", autocomplete: "off" },
            { name: "email", label: "E-mail", type: "email", autocomplete: "off", hint: "Cognito sends the temporary password here." },
            { name: "role", label: "Role", value: "viewer", options: ROLE_OPTIONS },
          ],
          submitLabel: "Invite",
          busyLabel: "Inviting…",
          extra: closeButton(close),
          onSubmit: async (values) => {
            validate(values, INVITE_RULES);
            const invited = await api.inviteVaultUser({ ...values, email: values.email.trim() }).catch((error) => {
              const taken = error instanceof ApiError && error.status === 409 && error.fieldErrors.some(({ field }) => field === "username");
              if (!taken) throw error;
              throw new FormError("Choose another username.", [{ field: "username", message: "This username is taken." }]);
            });
            close();
            notice.show(`Invited ${invited.username} as ${invited.role}: their temporary password is on its way to ${invited.email}.`);
            await table.reload();
          },
        }).form,
    });
  }

  function remove(member, trigger) {
    const self = member.username.toLowerCase() === user.username.toLowerCase();
    return confirmThenRun(trigger, {
      title: `Remove ${member.username}?`,
      message: `${self ? "This is you: you will be signed out. " : ""}${member.username} is signed out everywhere and loses their vault role. An account the vault invited is deleted; a shopper's account is kept, without the role.`,
      confirmLabel: "Remove user",
      cancelLabel: "Keep them",
      danger: true,
      action: async () => {
        await explained(() => api.removeVaultUser(member.username));
        return `Removed ${member.username}.`;
      },
    });
  }

  /** `action` from `trigger` once the admin confirmed it (`confirmation`: the dialog's words). */
  async function confirmThenRun(trigger, { action, ...confirmation }) {
    if (await confirmAction({ cancelLabel: "Cancel", ...confirmation })) await run(trigger, action);
  }

  const inviteButton = h("button", { type: "button", class: "button button--primary", onclick: invite }, "Invite user");
  table.restart();
  return h("section", { class: "vault-users" }, pageHeader("Users", inviteButton), notice.element, table.element);
}
