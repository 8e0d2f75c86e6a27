// The vault's settings, Schedules section: the default hourly run over every distribution and
// each distribution's own detection schedule, with its last run. Everyone with a vault role
// reads them; schedules are settings, so only an admin is shown Add, Pause/Resume, Change and
// Delete (the default schedule pauses and resumes, never changes nor goes).

import { ApiError } from "../api.js";
import { whileBusy } from "../busy.js";
import { confirmAction, openDialog } from "../dialog.js";
import { h } from "../dom.js";
import { createForm, filled, validate } from "../forms.js";
import { MAX_PAGE_SIZE } from "../limits.js";
import { createPagedTable } from "../list.js";
import { closeButton, createNotice, outcomeReporter, rowButton, timeCell } from "./common.js";

const OUTCOMES = { ok: "Finished", incomplete: "Throttled, finishes next run", failed: "Failed", skipped: "Skipped" };
const CRON_RULES = {
  cron: [
    [filled, "Enter when it runs: five fields, e.g. 0 * * * *."],
    [(cron) => cron.trim().split(/\s+/).length === 5, "Five fields are needed: minute hour day-of-month month day-of-week, e.g. 0 * * * *."],
  ],
};
// Why the API refused the distribution of a new schedule, by status: chosen from the list, it
// was deleted or given a schedule by someone else since.
const DISTRIBUTION_REFUSALS = {
  404: "This distribution is no longer active in the vault: choose another.",
  409: "This distribution has a schedule already: change its cron or pause it instead.",
};
const CRON_HINT = "Five fields in UTC: minute hour day-of-month month day-of-week, e.g. */15 6-18 * * MON-FRI. At most every 5 minutes.";

export function vaultSchedulesSection({ api, user, signal }) {
  const admin = user?.vaultRole === "admin";
  const notice = createNotice();
  const table = createPagedTable({
    caption: "Schedules",
    columns: [
      { label: "Distribution", cell: (schedule) => schedule.distribution_id ?? "All distributions" },
      { label: "Cron (UTC)", cell: (schedule) => h("code", {}, schedule.cron), word: true },
      { label: "State", cell: (schedule) => (schedule.active ? "Active" : "Paused"), word: true },
      { label: "Last run", cell: lastRun },
      ...(admin ? [{ label: "Actions", cell: (schedule) => h("div", { class: "row-actions" }, actionsFor(schedule)) }] : []),
    ],
    loadPage: (page) => api.listSchedules(page),
    emptyText: () => "No schedules.",
    signal,
  });
  const { run } = outcomeReporter(notice, table);
  const named = (schedule) => (schedule.default ? "the hourly schedule" : `${schedule.distribution_id}'s schedule`);

  function actionsFor(schedule) {
    const toggle = rowButton(schedule.active ? "Pause" : "Resume", `${schedule.active ? "Pause" : "Resume"} ${named(schedule)}`, (event) =>
      run(event.currentTarget, async () => {
        await api.changeSchedule(schedule.schedule_id, { active: !schedule.active });
        return `${capitalized(named(schedule))} is ${schedule.active ? "paused" : "active again"}.`;
      }),
    );
    if (schedule.default) return [toggle];
    return [
      toggle,
      rowButton("Change", `Change ${named(schedule)}`, () => changeCron(schedule)),
      rowButton("Delete", `Delete ${named(schedule)}`, (event) => remove(schedule, event.currentTarget), "button--danger"),
    ];
  }

  function cronForm({ fields, rules, submitLabel, close, send, done }) {
    return createForm({
      fields,
      submitLabel,
      busyLabel: "Saving…",
      extra: closeButton(close),
      onSubmit: async (values) => {
        validate(values, rules);
        const schedule = await send(values);
        close();
        notice.show(done(schedule));
        await table.reload();
      },
      // The API names the cron's own field and why (`minute: fires 2 minutes apart...`).
      describeError: (error) =>
        error instanceof ApiError
          ? {
              message: error.fieldErrors.length > 0 ? "Check the field marked below." : error.message,
              fieldErrors: error.fieldErrors.map(({ field, message }) =>
                field === "distribution_id" ? { field, message: DISTRIBUTION_REFUSALS[error.status] ?? message } : { field, message },
              ),
            }
          : null,
    }).form;
  }

  /** The vault's active distributions that have no schedule of their own yet. */
  async function unscheduled() {
    const [distributions, schedules] = await Promise.all([
      api.listDistributions({ state: "active", limit: MAX_PAGE_SIZE, signal }),
      api.listSchedules({ signal }),
    ]);
    const scheduled = new Set(schedules.items.map((schedule) => schedule.distribution_id));
    return distributions.items.filter((d) => !scheduled.has(d.distribution_id));
  }

  async function addSchedule(event) {
    let choices;
    try {
      choices = await whileBusy(event.currentTarget, unscheduled);
    } catch (error) {
      // An ended session is handled once, by sending the user to sign in.
      if (error.name !== "SessionExpiredError") notice.show(error.message, "error");
      return;
    }
    if (choices.length === 0) {
      notice.show("Every active distribution in the vault has a schedule already: change or pause one of those instead.");
      return;
    }
    openDialog({
      title: "Add a schedule",
      body: (close) =>
        cronForm({
          fields: [
            {
              name: "distribution_id",
              label: "Distribution",
              hint: "The vault's active distributions without a schedule of their own.",
              options: choices.map((d) => ({ value: d.distribution_id, label: `${d.distribution_id} (${d.domain_name})` })),
            },
            { name: "cron", label: "Cron", hint: CRON_HINT, autocomplete: "off", spellcheck: "false" },
          ],
          rules: CRON_RULES,
          submitLabel: "Add schedule",
          close,
          send: (values) => api.createSchedule({ distribution_id: values.distribution_id, cron: values.cron }),
          done: (schedule) => `Added a schedule of ${schedule.distribution_id}: ${schedule.cron}.`,
        }),
    });
  }

  function changeCron(schedule) {
    openDialog({
      title: `Change ${named(schedule)}`,
      body: (close) =>
        cronForm({
          fields: [{ name: "cron", label: "Cron", hint: CRON_HINT, value: schedule.cron, autocomplete: "off", spellcheck: "false" }],
          rules: CRON_RULES,
          submitLabel: "Save schedule",
          close,
          send: (values) => api.changeSchedule(schedule.schedule_id, { cron: values.cron }),
          done: (changed) => `${capitalized(named(schedule))} now runs at ${changed.cron}.`,
        }),
    });
  }

  async function remove(schedule, trigger) {
    const confirmed = await confirmAction({
      title: `Delete ${named(schedule)}?`,
      message: `${schedule.distribution_id} is then looked at by the hourly schedule and CloudTrail's events only.`,
      confirmLabel: "Delete schedule",
      cancelLabel: "Keep it",
      danger: true,
    });
    if (confirmed) {
      await run(trigger, async () => {
        await api.deleteSchedule(schedule.schedule_id);
        return `Deleted ${named(schedule)}.`;
      });
    }
  }

  table.restart();
  return h(
    "section",
    { class: "vault-schedules" },
    h("h2", {}, "Schedules"),
    h(
      "p",
      { class: "lead" },
      "Every distribution is looked at every hour; a distribution can have its own schedule too. CloudTrail's events are seen within a minute either way.",
    ),
    admin ? h("div", { class: "form-actions" }, h("button", { type: "button", class: "button button--primary", onclick: addSchedule }, "Add schedule")) : null,
    notice.element,
    table.element,
  );
}

function lastRun(schedule) {
  const last = schedule.last_run;
  if (!last) return "Not yet";
  return h("span", {}, timeCell(last.at), ` ${OUTCOMES[last.outcome] ?? last.outcome}`, last.detail ? `: ${last.detail}` : "");
}

function capitalized(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
