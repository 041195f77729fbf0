// Suggestions as you type in the search box (progressive enhancement: the form
// works without this script).
(function () {
  "use strict";
  const input = document.getElementById("search-q");
  if (!input || !window.fetch) return;
  const list = document.createElement("datalist");
  list.id = "search-suggestions";
  input.after(list);
  input.setAttribute("list", list.id);
  let timer = null;
  let last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  function suggest() {
    const text = input.value.trim();
    if (text.length < 2 || text === last) return;
    last = text;
    fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text))
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => {
        list.replaceChildren(
          ...data.results.map((value) => {
            const option = document.createElement("option");
            option.value = value;
            return option;
          })
        );
      })
      .catch(() => {});
  }
})();
