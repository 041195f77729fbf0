// Genre suggestions as you type in the comma-separated tags field: the native
// <datalist> offers the whole value with its last fragment completed.
// The admin loads this script in the page's head, before the form exists: it
// starts once the document is parsed.
function startGenreSuggestions() {
  "use strict";
  const input = document.getElementById("id_tags");
  if (!input) return;
  const list = document.createElement("datalist");
  list.id = "genre-suggestions";
  input.after(list);
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  let timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  function suggest() {
    const parts = input.value.split(",");
    const fragment = parts.pop().trim();
    if (fragment.length < 2) return;
    const head = parts.map((p) => p.trim()).filter(Boolean);
    fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(fragment), {
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => {
        list.replaceChildren(
          ...data.results.map((name) => {
            const option = document.createElement("option");
            option.value = head.concat([name]).join(", ");
            return option;
          })
        );
      });
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startGenreSuggestions);
} else {
  startGenreSuggestions();
}
