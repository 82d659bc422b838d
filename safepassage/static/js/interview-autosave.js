// Progressive enhancement of a section of the screening interview: each question saves itself
// when it changes, so that nothing is lost in a long interview. Without this script the page
// works by its "Save" buttons. The server answers in the officer's language: this file holds
// no words of its own but the one message the form carries for a failed connection.
//
// Each question is an element with data-autosave-url and data-autosave-prefix; its fields are
// named "<prefix>state", "<prefix>value" (…"-day", "-month", "-year"; repeated for a list of
// countries) and "<prefix>reason", and are posted without the prefix. The reply is JSON:
// {"saved": true, "message": "Saved at 14:03", "reload": false} or
// {"error": {"code": "...", "message": "...", "fields": {...}}}.

const TYPING_PAUSE = 1200; // milliseconds after the last key before text is saved
const SCROLL_KEY = "safepassage:interview-scroll";

function restoreScroll() {
  const saved = window.sessionStorage.getItem(SCROLL_KEY);
  if (saved === null) return;
  window.sessionStorage.removeItem(SCROLL_KEY);
  const [path, position] = saved.split("|");
  if (path === window.location.pathname) {
    window.scrollTo(0, Number(position) || 0);
  }
}

function csrfToken(form) {
  const field = form.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function fieldsOf(question, prefix) {
  return Array.from(question.querySelectorAll("input, select, textarea")).filter(
    (field) => field.name && field.name.startsWith(prefix),
  );
}

function body(question, prefix, token) {
  const data = new URLSearchParams();
  data.append("csrfmiddlewaretoken", token);
  for (const field of fieldsOf(question, prefix)) {
    if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
    data.append(field.name.slice(prefix.length), field.value);
  }
  return data;
}

// A date is saved once all three boxes are filled (or all emptied), not box by box.
function dateIsPartial(question, prefix) {
  const parts = ["day", "month", "year"].map((part) =>
    question.querySelector(`[name="${prefix}value-${part}"]`),
  );
  if (parts.some((part) => part === null)) return false;
  const filled = parts.filter((part) => part.value.trim() !== "").length;
  return filled > 0 && filled < 3;
}

// Nothing is saved before there is something to save: "Answered" waits for the answer, and
// "Not asked" for its reason (the server would only say that they are missing).
function waitsForMore(question, prefix) {
  const state = chosenState(question, prefix);
  if (state === "") return true;
  const filled = (field) =>
    (field.type !== "radio" || field.checked) && field.value.trim() !== "";
  if (state === "answered") {
    return !fieldsOf(question, `${prefix}value`).some(filled);
  }
  if (state === "not_asked") {
    return !fieldsOf(question, `${prefix}reason`).some(filled);
  }
  return false;
}

function chosenState(question, prefix) {
  const checked = question.querySelector(`input[name="${prefix}state"]:checked`);
  return checked ? checked.value : "";
}

// Typing an answer (or a reason) says what happened, as the server reads it too.
function impliedState(question, prefix, field) {
  if (chosenState(question, prefix) !== "") return;
  const implied = field.name === `${prefix}reason` ? "not_asked" : "answered";
  const radio = question.querySelector(`input[name="${prefix}state"][value="${implied}"]`);
  if (radio && field.value.trim() !== "") {
    radio.checked = true;
  }
}

// The reason for "Not asked" shows only once "Not asked" is chosen (or a reason is written).
function syncReason(question, prefix) {
  const box = question.querySelector("[data-not-asked-reason]");
  if (!box) return;
  const written = fieldsOf(box, `${prefix}reason`).some((field) => field.value.trim() !== "");
  box.hidden = chosenState(question, prefix) !== "not_asked" && !written;
}

function show(status, message, failed) {
  status.textContent = message;
  status.classList.toggle("govuk-error-message", failed);
}

function enhance(question, form) {
  const url = question.dataset.autosaveUrl;
  const prefix = question.dataset.autosavePrefix;
  const status = question.querySelector("[data-autosave-status]");
  const failedMessage = form.dataset.autosaveFailed || "";
  let timer = null;
  let sending = Promise.resolve();
  let lastSent = ""; // a blur after typing must not save the same answer twice

  const save = () => {
    window.clearTimeout(timer);
    if (waitsForMore(question, prefix) || dateIsPartial(question, prefix)) return;
    const data = body(question, prefix, csrfToken(form));
    const key = data.toString();
    if (key === lastSent) return;
    lastSent = key;
    // One request at a time per question, in order: the last change is the one kept.
    sending = sending.then(() =>
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
      })
        .then((response) =>
          response
            .json()
            .catch(() => ({}))
            .then((reply) => ({ ok: response.ok, reply })),
        )
        .then(({ ok, reply }) => {
          if (ok && reply.saved) {
            show(status, reply.message || "", false);
            if (reply.reload) {
              window.sessionStorage.setItem(
                SCROLL_KEY,
                `${window.location.pathname}|${Math.round(window.scrollY)}`,
              );
              window.location.reload();
            }
          } else {
            lastSent = "";
            const error = reply.error || {};
            show(status, error.message || failedMessage, true);
          }
        })
        .catch(() => {
          lastSent = "";
          show(status, failedMessage, true);
        }),
    );
  };

  syncReason(question, prefix);
  question.addEventListener("change", (event) => {
    if (event.target.name !== `${prefix}state`) impliedState(question, prefix, event.target);
    syncReason(question, prefix);
    save();
  });
  question.addEventListener("input", (event) => {
    const field = event.target;
    if (field.tagName !== "TEXTAREA" && field.type !== "text") return;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      impliedState(question, prefix, field);
      save();
    }, TYPING_PAUSE);
  });
}

function start() {
  restoreScroll();
  const form = document.querySelector("form[data-autosave-failed]");
  if (!form || !window.fetch) return;
  for (const question of form.querySelectorAll("[data-autosave-url]")) {
    enhance(question, form);
  }
}

start();
