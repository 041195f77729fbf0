// The photo chooser of the article editor: a <dialog> whose content comes from
// photos/chooser.py (HTML fragments, French). It opens from every field carrying
// data-photo-chooser: photo fields (lead photo, gallery rows) are filled in, the
// body gets the photo at the cursor (as a PhotoReference, photos/photo_reference.js).
//
// An ES module, loaded by the change form (articles/forms.py, ArticleBodyWidget).
import { element, photoInfo, remember } from "photos/photo-reference";

const editors = new WeakMap();
const state = { dialog: null, url: "", target: null, opener: null, inserted: false };

function addButton(field, anchor, where) {
  if (field.dataset.photoChooserReady) return;
  field.dataset.photoChooserReady = "1";
  const button = element("button", "button photo-chooser-open", field.dataset.photoChooserLabel);
  button.type = "button";
  button.dataset.chooserUrl = field.dataset.photoChooser;
  button.dataset.chooserFailed = field.dataset.photoChooserFailed || "";
  if (field.tagName === "TEXTAREA") button.dataset.chooserFor = field.id;
  button.setAttribute("aria-haspopup", "dialog");
  anchor.insertAdjacentElement(where, button);
}

function addFieldButtons(root) {
  root.querySelectorAll("input[data-photo-chooser]").forEach((input) => {
    const lookup = input.parentElement.querySelector(".related-lookup");
    addButton(input, lookup || input, "afterend");
  });
}

function targetOf(button) {
  if (button.dataset.chooserFor) {
    const textarea = document.getElementById(button.dataset.chooserFor);
    return { kind: "editor", editor: editors.get(textarea), textarea };
  }
  return { kind: "field", input: button.parentElement.querySelector("input[data-photo-chooser]") };
}

async function fetchHTML(url, options = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { "X-Requested-With": "XMLHttpRequest" },
    ...options,
  });
  const text = await response.text();
  if (!response.ok && response.status !== 400) throw new Error(`HTTP ${response.status}`);
  return text;
}

async function ensureDialog(url) {
  if (state.dialog && state.url === url) return state.dialog;
  const html = await fetchHTML(url);
  const dialog = state.dialog || element("dialog", "photo-chooser");
  dialog.setAttribute("aria-labelledby", "photo-chooser-title");
  dialog.innerHTML = html;
  if (!state.dialog) {
    document.body.append(dialog);
    dialog.addEventListener("click", onDialogClick);
    dialog.addEventListener("submit", onDialogSubmit);
    dialog.addEventListener("keydown", onTabKey);
    dialog.addEventListener("input", onSearchInput);
    dialog.addEventListener("change", onFilterChange);
    dialog.addEventListener("close", onClose);
  }
  state.dialog = dialog;
  state.url = url;
  return dialog;
}

async function openChooser(button) {
  state.opener = button;
  state.target = targetOf(button);
  state.inserted = false;
  button.setAttribute("aria-busy", "true");
  try {
    const fresh = !state.dialog || state.url !== button.dataset.chooserUrl;
    const dialog = await ensureDialog(button.dataset.chooserUrl);
    button.parentElement.querySelector(".photo-chooser-failed")?.remove();
    dialog.showModal();
    showTab("list");
    if (!fresh) search();
    dialog.querySelector("#photo-chooser-q").focus();
  } catch (error) {
    console.error(error);
    let note = button.parentElement.querySelector(".photo-chooser-failed");
    if (!note) {
      note = element("span", "photo-chooser-failed", button.dataset.chooserFailed);
      note.setAttribute("role", "alert");
      button.insertAdjacentElement("afterend", note);
    }
  } finally {
    button.removeAttribute("aria-busy");
  }
}

function showTab(name) {
  const dialog = state.dialog;
  dialog.querySelectorAll("[role=tab]").forEach((tab) => {
    const selected = tab.id === `photo-chooser-tab-${name}`;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
  });
  if (name === "upload") loadUploadForm();
}

async function loadUploadForm(force = false) {
  const panel = state.dialog.querySelector("#photo-chooser-panel-upload");
  const tab = state.dialog.querySelector("#photo-chooser-tab-upload");
  if (!panel || (panel.querySelector("form") && !force)) return;
  panel.textContent = panel.dataset.loading;
  try {
    panel.innerHTML = await fetchHTML(tab.dataset.uploadUrl);
  } catch (error) {
    panel.textContent = panel.dataset.failed;
  }
}

function onTabKey(event) {
  const tab = event.target.closest("[role=tab]");
  if (!tab || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
  const tabs = [...state.dialog.querySelectorAll("[role=tab]")];
  const index = tabs.indexOf(tab);
  const next = {
    ArrowLeft: tabs[(index - 1 + tabs.length) % tabs.length],
    ArrowRight: tabs[(index + 1) % tabs.length],
    Home: tabs[0],
    End: tabs[tabs.length - 1],
  }[event.key];
  event.preventDefault();
  next.focus();
  showTab(next.id.replace("photo-chooser-tab-", ""));
}

async function search(page) {
  const form = state.dialog.querySelector(".photo-chooser__search");
  const results = state.dialog.querySelector(".photo-chooser__results");
  const params = new URLSearchParams(new FormData(form));
  if (page) params.set("page", page);
  results.setAttribute("aria-busy", "true");
  try {
    results.innerHTML = await fetchHTML(`${form.action}?${params}`);
  } catch (error) {
    results.textContent = state.dialog.querySelector("[data-failed]")?.dataset.failed || "";
  } finally {
    results.removeAttribute("aria-busy");
  }
}

let searchTimer = null;
function onSearchInput(event) {
  if (event.target.id !== "photo-chooser-q") return;
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => search(), 300);
}

function onFilterChange(event) {
  if (event.target.id === "photo-chooser-filter") search();
}

function onDialogClick(event) {
  const close = event.target.closest("[data-chooser-close]");
  if (close) return state.dialog.close();
  const tab = event.target.closest("[role=tab]");
  if (tab) return showTab(tab.id.replace("photo-chooser-tab-", ""));
  const pageButton = event.target.closest("[data-page]");
  if (pageButton) {
    search(pageButton.dataset.page).then(() => state.dialog.querySelector("#photo-chooser-q").focus());
    return;
  }
  const pick = event.target.closest("button[data-photo]");
  if (pick) choose(JSON.parse(pick.dataset.photo));
}

async function onDialogSubmit(event) {
  const form = event.target;
  event.preventDefault();
  if (form.classList.contains("photo-chooser__search")) return search();
  if (!form.classList.contains("photo-chooser__upload")) return;
  const panel = form.closest("[role=tabpanel]");
  const submit = form.querySelector("[type=submit]");
  submit.disabled = true;
  try {
    panel.innerHTML = await fetchHTML(form.action, { method: "POST", body: new FormData(form) });
  } catch (error) {
    submit.disabled = false;
    form.prepend(element("p", "errornote", panel.dataset.failed));
    return;
  }
  const auto = panel.querySelector("[data-auto-choose]");
  if (auto) return choose(JSON.parse(auto.dataset.autoChoose));
  const focus = panel.querySelector(".errorlist")?.closest(".photo-chooser__field")?.querySelector("input, select")
    || panel.querySelector("button[data-photo]");
  if (focus) focus.focus();
}

function choose(card) {
  remember(card);
  const target = state.target;
  if (target.kind === "editor" && target.editor) {
    state.inserted = true;
    state.dialog.close();
    insertInEditor(target.editor, card.id);
  } else if (target.kind === "field" && target.input) {
    state.dialog.close();
    fillField(target.input, card);
  }
}

function insertInEditor(editor, id) {
  const type = editor.schema.nodes.photoReference;
  const chain = editor.chain().focus();
  if (!type) return chain.insertContent(`<p>[photo:${id}]</p>`).run();
  chain.insertContent({ type: "photoReference", attrs: { photo: String(id) } }).run();
  // A photo ending the text gets a paragraph after it, to write on.
  const doc = editor.state.doc;
  if (doc.lastChild && doc.lastChild.type === type) {
    editor.chain().insertContentAt(doc.content.size, { type: "paragraph" }).focus().run();
  }
}

function fillField(input, card) {
  input.value = card.id;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new Event("change", { bubbles: true }));
  showChoice(input, card);
}

// The photo a field holds, as a thumbnail with its title and credit.
function showChoice(input, card) {
  const box = input.parentElement;
  const label = box.querySelector(":scope > strong");
  if (label) label.hidden = true;
  let choice = box.querySelector(".photo-chooser-choice");
  if (!choice) {
    choice = element("span", "photo-chooser-choice");
    box.append(choice);
  }
  choice.replaceChildren();
  if (card.thumb) {
    const img = element("img");
    img.src = card.thumb;
    img.alt = "";
    choice.append(img);
  }
  const text = element("span", "photo-chooser-choice__text");
  text.append(element("strong", "", card.title), element("span", "", card.credit));
  choice.append(text);
}

function onClose() {
  if (!state.inserted && state.opener) state.opener.focus();
  // The next upload starts from an empty form.
  const panel = state.dialog.querySelector("#photo-chooser-panel-upload");
  if (panel && panel.querySelector(".photo-chooser__uploaded")) panel.replaceChildren();
}

document.addEventListener("prose-editor:ready", (event) => {
  const { editor, textarea } = event.detail;
  if (!textarea.matches("[data-photo-chooser]")) return;
  editors.set(textarea, editor);
  // The button goes above the editor, both in one box: the admin lays a field's
  // label and widget out in a row.
  const wrapper = textarea.closest(".prose-editor") || textarea;
  const box = element("div", "photo-chooser-editor");
  wrapper.before(box);
  box.append(wrapper);
  addButton(textarea, wrapper, "beforebegin");
});

document.addEventListener("click", (event) => {
  const button = event.target.closest(".photo-chooser-open");
  if (button) openChooser(button);
});

function showSavedChoices() {
  document.querySelectorAll("input[data-photo-chooser-info]").forEach((input) => {
    if (!/^\d+$/.test(input.value)) return;
    photoInfo(input.dataset.photoChooserInfo, input.value).then(
      (card) => card && String(card.id) === input.value && showChoice(input, card),
      () => {},
    );
  });
}

function start() {
  addFieldButtons(document);
  showSavedChoices();
  // A gallery row added later is cloned from the empty row, button included;
  // a row made otherwise gets its own.
  document.addEventListener("formset:added", (event) => addFieldButtons(event.target));
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
